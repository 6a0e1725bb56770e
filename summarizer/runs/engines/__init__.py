"""Engines that run a run's briefs elsewhere: worker processes that parse (``process_pool``), Ray Data actors (``ray_actors``)."""
