"""The WSGI entry point. Once Django is loaded, everything it made so far (settings, URL
resolvers, models, templates) is moved out of the garbage collector's sight with
``gc.freeze()``: those objects live as long as the process, and otherwise every full collection
walks them all again, a pause in whichever request triggers it."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "telly.settings")
application = get_wsgi_application()
gc.freeze()
