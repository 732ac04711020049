"""Factories for the cadence keeper's models."""

import factory

from tests.factories import BaseFactory, UserFactory
from warmeveranderen.notifications.models import (
    NotificationPreference,
    NotificationSettings,
    ReminderLog,
    ReminderSetting,
    SchedulerHeartbeat,
)
from warmeveranderen.timeutil import utcnow


class ReminderLogFactory(BaseFactory):
    class Meta:
        model = ReminderLog

    rule = "test_rule"
    object_key = factory.Sequence(lambda n: f"object-{n}")
    recipient = factory.SubFactory(UserFactory)
    occurrence = "1"
    category = "general"
    title = "Herinnering"
    body = ""
    url = "/"
    status = "delivered"
    claimed_at = factory.LazyFunction(utcnow)


class NotificationPreferenceFactory(BaseFactory):
    class Meta:
        model = NotificationPreference

    user_id = factory.LazyAttribute(lambda o: UserFactory().id)
    category = "general"
    mode = "immediate"


class NotificationSettingsFactory(BaseFactory):
    class Meta:
        model = NotificationSettings

    user = factory.SubFactory(UserFactory)
    digest_hour = 7


class ReminderSettingFactory(BaseFactory):
    class Meta:
        model = ReminderSetting

    key = "lookback_days"
    days = 14


class SchedulerHeartbeatFactory(BaseFactory):
    class Meta:
        model = SchedulerHeartbeat

    started_at = factory.LazyFunction(utcnow)
    finished_at = factory.LazyFunction(utcnow)
    swept_for = factory.LazyFunction(utcnow)
