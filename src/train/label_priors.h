#pragma once
// Loss settings derived from the training labels' class shares: inverse-frequency class
// weights (--class-weights auto) and the logit adjustment's offsets (--logit-adjust tau).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace zhsenti::train {

// Inverse class frequency, normalised so that a balanced set gets weights of 1; a class
// without rows gets 0.
std::vector<float> auto_class_weights(std::span<const std::int32_t> labels, std::size_t classes);

// tau log(share of each class in the labels); a class without rows counts as one row.
std::vector<float> prior_logit_offsets(std::span<const std::int32_t> labels, std::size_t classes,
                                       float tau);

}  // namespace zhsenti::train
