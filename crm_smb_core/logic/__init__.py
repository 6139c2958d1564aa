"""Pure logic of the suite's core: no ORM, testable and benchmarkable alone."""
