#pragma once
// Options for testing one cleaning step at a time.

#include "zhsenti/text/clean_options.h"

namespace zhsenti::text::testing {

// Every step off (t2s too), emoji kept, invalid UTF-8 an error.
inline CleanOptions no_steps() {
  CleanOptions o;
  o.html = o.urls = o.emails = o.mentions = o.repost_chains = false;
  o.fullwidth = o.squash_punct = o.whitespace = o.t2s = o.lowercase = false;
  return o;
}

// The defaults with one member changed: with(&CleanOptions::urls, false).
template <typename T>
CleanOptions with(T CleanOptions::*member, T value, CleanOptions o = {}) {
  o.*member = value;
  return o;
}

}  // namespace zhsenti::text::testing
