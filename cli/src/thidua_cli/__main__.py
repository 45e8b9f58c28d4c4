from thidua_cli.main import app

app()
