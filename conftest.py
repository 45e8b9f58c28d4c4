import os

# Password hashes in the tests cost little (argon2's defaults cost 64 MiB and tens of milliseconds each, and the
# suite signs in and fuzzes the sign-in thousands of times); services started by the tests inherit this.
for name, value in (("TIME_COST", "1"), ("MEMORY_KIB", "8192"), ("PARALLELISM", "1")):
    os.environ.setdefault(f"THIDUA_ARGON2_{name}", value)

pytest_plugins = ["thidua_shared.testing"]
