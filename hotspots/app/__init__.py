"""The Streamlit app: pages composed from the package (the only part that imports streamlit)."""
