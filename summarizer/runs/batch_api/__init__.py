"""A provider's batch API: request files in the OpenAI batch format (``files``), batch jobs kept in the run log (``jobs``)."""
