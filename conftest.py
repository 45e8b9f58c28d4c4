pytest_plugins = ["thidua_shared.testing"]
