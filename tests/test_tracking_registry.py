"""Other features plug into the follow-up through its registries (sections, stall checks, facts)."""

from warmeveranderen import parts as registry
from warmeveranderen import plugins


def test_a_feature_adds_a_progress_section_a_stall_check_and_a_fact(world, auth, monkeypatch, tmp_path):
    monkeypatch.setattr(registry, "PROGRESS_SECTIONS", list(registry.PROGRESS_SECTIONS))
    monkeypatch.setattr(registry, "STALL_CHECKS", list(registry.STALL_CHECKS))
    monkeypatch.setattr(registry, "FACTS", registry.defaultdict(list, {k: list(v) for k, v in registry.FACTS.items()}))

    @registry.progress_section("core/_steps.html", order=10)
    def vision_section(user, school):
        return {"steps": []}

    @registry.stall_check
    def no_sprint_closed(schools):
        return {s.id: ["Geen sprint afgesloten in 12 weken"] for s in schools}

    @registry.indicator_fact(1)
    def endorsed_vision(school):
        return "Visie versie 2 afgeklopt door het forum."

    plugins.register(vision_section, no_sprint_closed, endorsed_vision)

    assert registry.PROGRESS_SECTIONS[0][2] is vision_section
    progress = auth.client_for(world.users["director"]).get(f"/scholen/{world.school.id}/voortgang")
    assert "Niets dringends" in progress.get_data(as_text=True)
    client = auth.client_for(world.users["adviser"])
    page = client.get("/programma/opvolging").get_data(as_text=True)
    # (The built-in "no rating" signal only fires after the rating window closed: issue 16.)
    assert "Geen sprint afgesloten in 12 weken" in page
    form = client.get(f"/scholen/{world.school.id}/indicatoren/scoren").get_data(as_text=True)
    assert "Visie versie 2 afgeklopt door het forum." in form
