"""The equipment bus: the open protocol between the platform and the cranes' controllers."""
