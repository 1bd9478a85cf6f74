from tests.democratization.contract import democratization_actors, democratization_objects  # noqa: F401
