target_sources(policysim_lib PRIVATE)
