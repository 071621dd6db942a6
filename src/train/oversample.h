#pragma once
// Random oversampling for imbalanced training sets (train --oversample): every class is
// brought up to the size of the largest by drawing its own examples again, with
// replacement. Duplicates are appended; the batcher shuffles them in each epoch. Dev data
// is never oversampled, so model choice still sees the real class mix.

#include "zhsenti/core/rng.h"
#include "zhsenti/train/labelled_corpus.h"

namespace zhsenti::train {

// Returns the number of examples added.
std::size_t oversample(LabelledCorpus& data, std::size_t classes, Rng& rng);

}  // namespace zhsenti::train
