from warmeveranderen import create_app

app = create_app()
