"""Packaging beyond pyproject.toml: the repository's top-level ``resources/`` folder (fonts, the sample
year, translations, icons, the manual) ships inside the installed package as ``evaldesk/_resources``,
where ``evaldesk.resources`` finds it with ``importlib.resources``. One copy in the repository, one in
every wheel."""

from setuptools import find_packages, setup

RESOURCES = "evaldesk._resources"

setup(
    packages=[*find_packages(include=["evaldesk*", "ui*"]), RESOURCES],
    package_dir={RESOURCES: "resources"},
    package_data={
        "evaldesk": [
            "db/migrations/*.py",
            "db/migrations/*.mako",
            "db/migrations/versions/*.py",
            "alembic.ini",
        ],
        RESOURCES: [
            "fonts/*.ttf",
            "fonts/OFL.txt",
            "icons/*.png",
            "icons/*.ico",
            "manual/*.md",
            "samples/*.pdf",
            "translations/*/*.json",
        ],
    },
)
