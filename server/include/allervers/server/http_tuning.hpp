#pragma once
// Every bound of the HTTP engine in one place, each with its reason. `serve` options override
// some of them (docs/server.md); the body limits of the protocol stay in sync/tuning.hpp.
#include <chrono>
#include <cstddef>

namespace allervers::server::http_tuning {

using namespace std::chrono_literals;

// --- memory ----------------------------------------------------------------------------
// Memory for one connection's request line, headers and read buffer. A device's request
// head is under 1 KiB, a browser's with cookies a few KiB; a longer request line is answered
// 414, longer headers (or too many of them) 431, before more is read.
inline constexpr std::size_t connection_memory_bytes = 32 * 1024;
// Request bodies held in memory at once, over all connections. A body is refused before it
// is read when its declared length would pass this (503, Retry-After): 16 bodies of the
// 16 MiB maximum, or ~4,000 of the ~60 KiB gzip batches devices send.
inline constexpr std::size_t body_budget_bytes = 256 * 1024 * 1024;
// One part of a streamed response body (exports): memory per download stays at about this.
inline constexpr std::size_t stream_part_bytes = 64 * 1024;

// --- connections -----------------------------------------------------------------------
// Connections open at once. 1,000 devices syncing, the office and the public pages fit
// four times over; an idle connection costs a file descriptor and little memory.
inline constexpr unsigned max_connections = 4096;
// Connections from one client address. A town hall's NAT (tablets, office browsers opening
// six connections each) stays well under; one misbehaving address holds at most 1/16 of
// max_connections, so others are still served. Devices behind a carrier's NAT share less.
inline constexpr unsigned max_connections_per_address = 256;
// File descriptors the server needs besides its connections (database, logs, epoll, pipes).
inline constexpr unsigned spare_descriptors = 128;

// --- time ------------------------------------------------------------------------------
// A connection with no traffic either way for this long is closed (a client gone silent,
// one that stopped reading its answer).
inline constexpr auto idle_timeout = 30s;
// A request's line and headers must have arrived this long after the connection opened or
// its previous answer was sent (slowloris: a header line trickled every few seconds keeps a
// connection "active" forever). Also how long an idle keep-alive connection is kept.
inline constexpr auto head_timeout = 20s;
// A body must arrive within body_grace plus its length at min_body_rate: 64 kbit/s is
// slower than any mobile link a device syncs over (a 60 KiB batch: 28 s at the worst).
inline constexpr auto body_grace = 20s;
inline constexpr std::size_t min_body_rate = 8 * 1024;  // bytes per second
// How often slow connections are looked for: the deadlines above are met within this.
inline constexpr auto reaper_period = 500ms;
// At SIGTERM, requests being handled get this long to commit and answer before the server
// exits anyway (an unanswered request was not committed: the device sends it again).
inline constexpr auto shutdown_grace = 20s;

// --- threads ---------------------------------------------------------------------------
// Threads that move bytes (epoll, TLS) when `serve` does not say: one per core up to this.
// Handlers run on the separate --threads pool, so a slow commit never stalls the sockets.
inline constexpr unsigned max_io_threads = 4;

// --- logs ------------------------------------------------------------------------------
// The engine's own messages (refused connections, TLS failures) at most this many per
// log_window, then one line with how many were left out: an attack must not fill the disk.
inline constexpr int log_burst = 20;
inline constexpr auto log_window = 10s;

}  // namespace allervers::server::http_tuning
