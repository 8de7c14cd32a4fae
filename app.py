"""Stuurbord — entry point: `streamlit run app.py`. The shell lives in stuurbord/shell.py."""
from stuurbord import shell

shell.main()
