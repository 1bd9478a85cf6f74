from tests.public_safety.contract import public_safety_actors, public_safety_objects  # noqa: F401
