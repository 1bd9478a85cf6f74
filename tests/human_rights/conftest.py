from tests.human_rights.contract import human_rights_actors, human_rights_objects  # noqa: F401
