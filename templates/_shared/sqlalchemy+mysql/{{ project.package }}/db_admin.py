"""Create and drop MySQL / MariaDB databases (``manage create-database``, the tests)."""

from .db_server import DatabaseServer

NEEDS_SERVER = True

SERVER = DatabaseServer(
    maintenance_database="",
    exists="SELECT 1 FROM information_schema.schemata WHERE schema_name = :name",
    create="CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    drop="DROP DATABASE IF EXISTS `{name}`",
    max_name_length=64,
)
create_database = SERVER.create_database
drop_database = SERVER.drop_database
