"""The Streamlit glue: what the scripts of pages/ stand on (ogp/app/ui.py is their toolbox)."""

from streamlit import config

from ogp.model import urls

# in-app links carry the path the app is served under (Streamlit's server.baseUrlPath)
urls.read_base_from(lambda: config.get_option("server.baseUrlPath"))
