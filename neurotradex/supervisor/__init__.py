"""`ntx up`: start the services as supervised child processes, with the gateway in-process."""
