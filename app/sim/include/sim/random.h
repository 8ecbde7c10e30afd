// Random numbers whose every bit our own code defines.
//
// A simulation run must give byte-identical reports under g++ and clang and
// on every machine, so nothing here comes from <random>: the standard's
// engines are portable but its distributions are implementation-defined.
// The generator is xoshiro256** (Blackman and Vigna), seeded through
// splitmix64; the distributions are written out below.
//
// One seed feeds several independent streams (arrivals, service, cooking,
// injections), so that changing how one part of the restaurant behaves (a
// durable queue instead of a transient one) does not change which customers
// come in or what they order: an A/B comparison sees the same customers.
//
// Thread-safety: an Rng is a value; one thread uses it at a time.
#pragma once

#include <cassert>
#include <cmath>
#include <cstdint>

#include "broker/clock.h"

namespace wmq::sim {

// splitmix64: one step. Used to spread a seed over xoshiro's 256 bits of state.
inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

class Rng {
 public:
  // A generator for stream `stream` of `seed`; different streams of one seed
  // are independent for every practical purpose.
  explicit Rng(uint64_t seed, uint64_t stream = 0) {
    uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ull);
    for (uint64_t& w : s_)
      w = splitmix64(sm);
  }

  // The next 64 random bits (xoshiro256**).
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), without modulo bias: draws below 2^64 mod n are
  // rejected, so every residue is equally likely (arc4random_uniform's way). n > 0.
  uint64_t below(uint64_t n) {
    assert(n > 0 && "Rng::below: the range is empty");
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
      const uint64_t x = next();
      if (x >= threshold) return x % n;
    }
  }

  // Uniform integer in [lo, hi], both included. lo <= hi.
  int64_t uniform_int(int64_t lo, int64_t hi) {
    assert(lo <= hi && "Rng::uniform_int: lo must be <= hi");
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == UINT64_MAX) return static_cast<int64_t>(next());
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + below(span + 1));
  }

  // Uniform real in [0, 1): the top 53 bits, exactly representable.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform real in (0, 1]: safe to take the logarithm of.
  double uniform01_open_low() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }

  // Exponential with the given mean (inverse transform: -mean * ln u).
  double exponential(double mean) { return -mean * std::log(uniform01_open_low()); }

  // Standard normal by Box-Muller (one of the pair; the other is discarded
  // so that every call consumes the same number of draws).
  double normal01() {
    const double u1 = uniform01_open_low();
    const double u2 = uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Rounds a non-negative real number of microseconds to an integer the same
// way everywhere (half away from zero), clamped to [0, 10 years].
inline Micros round_micros(double us) {
  if (!(us > 0)) return 0;
  constexpr double kMax = 10.0 * 365 * 24 * 3600 * 1e6;
  if (us > kMax) return static_cast<Micros>(kMax);
  return static_cast<Micros>(us + 0.5);
}

}  // namespace wmq::sim
