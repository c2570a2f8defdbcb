# Read by ctest after the test discovery of tests/CMakeLists.txt: the tests `make test-sanitize`
# leaves out (ctest -LE no-sanitize), each with its reason (docs/sanitizers.md, "Left out").
# `make test` runs them all.
set_tests_properties(
  # --max-memory sets RLIMIT_AS in the worker; ASan's shadow memory alone already reserves
  # terabytes of address space, so every later mapping fails and ASan's allocator stops the
  # worker with its own out-of-memory report, not the std::bad_alloc in the step the test checks.
  cli.CliBatchWorkers.UnboundedAllocationFailsAtMaxMemory
  # The same limit in a single run (`klaster run --max-memory`).
  cli.CliFault.AllocationPastMaxMemoryFailsTheStep
  PROPERTIES LABELS no-sanitize)
