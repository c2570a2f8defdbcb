// klaster host: what `klaster run` says and leaves when it is interrupted (SIGINT, SIGTERM, SIGHUP)
// or a plugin crashes it (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL). docs/faults.md.
#pragma once

#include <functional>
#include <string>

namespace klaster {

/// \brief Installs handlers for SIGINT, SIGTERM and SIGHUP and starts a thread that, on the first
/// of them, calls `on_interrupt(signal name)` (which returns the line to print), prints it and
/// ends the process with 128 + the signal number, the shells' convention. The handler only wakes
/// the thread: the cleanup runs as ordinary code, whatever thread the signal hit.
void watch_interrupts(std::function<std::string(const std::string&)> on_interrupt);

/// \brief Installs handlers for the signals of a crash that print one line naming the signal, the
/// step running (set_running_step) and `output_note`, then let the signal end the process as it
/// would have (its exit status and core dump unchanged). Nothing can be cleaned up safely here:
/// the next run removes what the crashed one left (remove_stale_stages).
void report_crashes(const std::string& output_note);

/// \brief The step now running, e.g. "step 'f' (plugin faulty 0.0.1)", or "" between steps; read
/// by the crash and interrupt messages. Safe to call from any thread.
void set_running_step(const std::string& who);
std::string running_step();

/// \brief "out of memory (std::bad_alloc)", with the address-space limit (RLIMIT_AS, set by
/// --max-memory) when there is one.
std::string out_of_memory_text();

/// \brief Sets RLIMIT_AS to `mib` MiB: an allocation past it then fails (std::bad_alloc) instead
/// of the kernel killing the process. Throws HostError (exit 2) when it cannot be set.
void limit_memory(double mib);

}  // namespace klaster
