"""The benchmark's resource: books with a foreign key to their author."""
