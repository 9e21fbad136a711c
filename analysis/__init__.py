"""policysim analysis: read policysim's HDF5 output and draw the pictures (run with /usr/bin/python3).

    /usr/bin/python3 -m analysis ties output/baseline.h5 output/post_abe.h5 --pairs JPN-ISR
"""
