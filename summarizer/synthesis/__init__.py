"""Several briefs in, one ``Synthesis`` out: sources, the model's draft and its rules, assembly, timeline, the pipeline."""
