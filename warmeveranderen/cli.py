"""flask commands: the demo programme and creating the first coordinator."""

import click
from flask import current_app

from warmeveranderen.extensions import db


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Alleen laden als er nog geen demo is.")
def demo_command(if_empty: bool) -> None:
    """Load the demo programme (the real schools of 2017-2020) and one account per role."""
    from warmeveranderen.programme.demo import DEMO_ACCOUNTS, demo_email, demo_loaded, load_demo

    if current_app.config["ENV"] == "production":
        raise click.ClickException("De demo laadt niet in productie (ENV=production).")
    if if_empty and demo_loaded():
        click.echo("Demo is al geladen.")
    else:
        school = load_demo()
        click.echo(f"Demo geladen; demoschool: {school.name}.")
    click.echo(f"Demo-accounts (wachtwoord: {current_app.config['DEMO_PASSWORD']}):")
    for local, name, *_rest in DEMO_ACCOUNTS:
        click.echo(f"  {demo_email(local):40} {name}")


@click.command("create-coordinator")
@click.argument("email")
@click.option("--name", prompt="Naam", help="De naam van de coördinator.")
@click.password_option(prompt="Wachtwoord", confirmation_prompt="Herhaal het wachtwoord")
def create_coordinator_command(email: str, name: str, password: str) -> None:
    """Create a programme coordinator for a real installation."""
    from warmeveranderen.accounts.services import create_user, get_user_by_email, set_password

    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.ClickException(f"Kies een wachtwoord van minstens {current_app.config['PASSWORD_MIN_LENGTH']} tekens.")
    user = get_user_by_email(email)
    if user is None:
        user = create_user(email, name, password, is_coordinator=True)
    else:
        user.is_coordinator = True
        set_password(user, password)
        db.session.commit()
    click.echo(f"Coördinator {user.email} is klaar.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the app in one process (development and the Quick start)."""
    from werkzeug.serving import run_simple

    run_simple(host, port, current_app._get_current_object(), threaded=True, use_reloader=False)


def init_app(app) -> None:
    app.cli.add_command(serve_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(create_coordinator_command)
    from warmeveranderen.tracking.cli import COMMANDS as tracking_commands

    for command in tracking_commands:
        app.cli.add_command(command)
