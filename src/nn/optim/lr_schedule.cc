#include "zhsenti/nn/optim/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "zhsenti/core/check.h"

namespace zhsenti::nn {

LrSchedule::LrSchedule(float base_lr, const LrScheduleOptions& options)
    : base_(base_lr), options_(options) {
  ZHSENTI_CHECK_ARG(base_lr >= 0.0f, "learning rate {} must be >= 0", base_lr);
  ZHSENTI_CHECK_ARG(options.warmup_steps >= 0, "warm-up steps {} must be >= 0",
                    options.warmup_steps);
  if (options.kind == "constant") {
    kind_ = Kind::kConstant;
  } else if (options.kind == "step") {
    kind_ = Kind::kStep;
    ZHSENTI_CHECK_ARG(options.step_size > 0 && options.gamma > 0.0f,
                      "step schedule: step size {} and gamma {} must be > 0", options.step_size,
                      options.gamma);
  } else if (options.kind == "cosine" || options.kind == "linear") {
    kind_ = options.kind == "cosine" ? Kind::kCosine : Kind::kLinear;
    ZHSENTI_CHECK_ARG(options.total_steps > 0, "{} schedule: total steps {} must be > 0",
                      options.kind, options.total_steps);
    ZHSENTI_CHECK_ARG(options.min_lr >= 0.0f && options.min_lr <= base_lr,
                      "{} schedule: min lr {} not in [0, {}]", options.kind, options.min_lr,
                      base_lr);
  } else {
    ZHSENTI_CHECK_ARG(false, "unknown learning-rate schedule '{}' (expected constant, step, "
                      "cosine or linear)", options.kind);
  }
}

float LrSchedule::lr_at(int64_t step) const {
  ZHSENTI_CHECK_ARG(step >= 0, "schedule step {} must be >= 0", step);
  const int64_t w = options_.warmup_steps;
  if (step < w) return base_ * static_cast<float>(step + 1) / static_cast<float>(w);
  const double t = static_cast<double>(step - w);
  const double base = base_, lo = options_.min_lr;
  switch (kind_) {
    case Kind::kConstant:
      return base_;
    case Kind::kStep:
      return static_cast<float>(
          base * std::pow(static_cast<double>(options_.gamma),
                          std::floor(t / static_cast<double>(options_.step_size))));
    case Kind::kCosine: {
      const double total = static_cast<double>(options_.total_steps);
      if (t >= total) return options_.min_lr;
      return static_cast<float>(lo + (base - lo) * (1.0 + std::cos(std::numbers::pi * t / total)) / 2.0);
    }
    case Kind::kLinear: {
      const double total = static_cast<double>(options_.total_steps);
      return static_cast<float>(t >= total ? lo : base + (lo - base) * t / total);
    }
  }
  return base_;
}

ReduceOnPlateau::ReduceOnPlateau(float lr, const PlateauOptions& options)
    : options_(options),
      lr_(lr),
      best_(options.maximize ? -std::numeric_limits<double>::infinity()
                             : std::numeric_limits<double>::infinity()) {
  ZHSENTI_CHECK_ARG(options.factor > 0.0f && options.factor < 1.0f,
                    "plateau factor {} must be in (0, 1)", options.factor);
  ZHSENTI_CHECK_ARG(options.patience >= 0 && options.cooldown >= 0 && options.threshold >= 0.0f,
                    "plateau patience {}, cooldown {}, threshold {} must be >= 0",
                    options.patience, options.cooldown, options.threshold);
}

bool ReduceOnPlateau::better(double metric) const {
  const double th = options_.threshold;
  if (options_.relative) {
    return options_.maximize ? metric > best_ * (1.0 + th) : metric < best_ * (1.0 - th);
  }
  return options_.maximize ? metric > best_ + th : metric < best_ - th;
}

float ReduceOnPlateau::step(double metric) {
  if (better(metric)) {
    best_ = metric;
    bad_ = 0;
  } else {
    ++bad_;
  }
  if (cooldown_left_ > 0) {
    --cooldown_left_;
    bad_ = 0;
  }
  if (bad_ > options_.patience) {
    const float reduced = std::max(lr_ * options_.factor, options_.min_lr);
    if (lr_ - reduced > options_.eps) lr_ = reduced;
    cooldown_left_ = options_.cooldown;
    bad_ = 0;
  }
  return lr_;
}

}  // namespace zhsenti::nn
