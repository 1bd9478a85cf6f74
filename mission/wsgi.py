import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mission.settings")
from mission.startup import require_secrets, settle_garbage_collector

require_secrets()
application = get_wsgi_application()
settle_garbage_collector()
