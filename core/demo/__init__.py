"""Realistic, reproducible demo data: a county, its resettlement sites and their households.

    write_demo_profile(store, households, seed, as_of, progress=None, chunk=2000)
        loads it into a profile through Store.bulk_load, one transaction per chunk;
    generate_reference(rng) and generate_households(rng, reference, start_index, count, as_of)
        are the pure generators underneath (rows keyed by entity name, no database).

Modules: names and vocab (words), reference (area tree, settlements, grids), family (who lives
together and their ages, by the rules of biology and law), people and household (members), work
(jobs, training), casebook (grievances as whole cases: kind, text, office), cases (visits,
grievances, measures), generate, load, and background/worker (generation in a child process for
large loads).

Everything comes from one random.Random and `as_of`: no uuid4, no clock.
"""
from core.demo.generate import ENTITIES, generate_households
from core.demo.load import write_demo_profile
from core.demo.reference import Reference, generate_reference

__all__ = ["ENTITIES", "Reference", "generate_households", "generate_reference", "write_demo_profile"]
