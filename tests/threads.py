"""How many threads torch uses in the test workers, and in the examples they run as a reader.

The workers of `make test` (pytest-xdist) fill every core between them, with the site's build
and the browser beside them. A torch thread pool of one thread per core then waits for busy
cores: the covariate-shift experiment took 130 s instead of 5. So each worker runs torch on one
thread. An example copied from a page is different: it must print exactly the lines the page
shows, which were written by `make outputs` with torch's default number of threads, and a
training run at a high learning rate amplifies the last bits that the number of threads changes
(the order of a parallel sum). tests/copy_run.py runs each block with that default.
"""

from __future__ import annotations

import contextlib

import torch

READER = torch.get_num_threads()  # what `python copied.py` gets on this machine (no OMP_NUM_THREADS set here)


def one_per_worker() -> None:
    torch.set_num_threads(1)


@contextlib.contextmanager
def as_a_reader():
    """torch with the number of threads a reader's fresh interpreter starts with."""
    saved = torch.get_num_threads()
    torch.set_num_threads(READER)
    try:
        yield
    finally:
        torch.set_num_threads(saved)
