#pragma once
// Learning-rate schedules. A schedule is a pure function of a step counter; the caller
// decides whether one step is an optimiser step or an epoch and calls
// optimizer.set_lr(schedule.lr_at(step)) before each update.
//   constant  base
//   step      base * gamma^floor(t / step_size)                      (StepLR)
//   cosine    min + (base - min) (1 + cos(pi t / total)) / 2, t <= total, then min
//                                                                     (CosineAnnealingLR)
//   linear    base + (min - base) t / total, then min                 (linear decay)
// With warmup_steps = w > 0, steps t < w use base * (t + 1) / w (linear warm-up) and the
// schedule above runs on t - w afterwards.
// ReduceOnPlateau follows a metric instead (ReduceLROnPlateau).

#include <cstdint>
#include <string>

namespace zhsenti::nn {

struct LrScheduleOptions {
  std::string kind = "constant";  // constant | step | cosine | linear
  int64_t warmup_steps = 0;
  int64_t step_size = 1;  // step
  float gamma = 0.1f;     // step
  int64_t total_steps = 0;  // cosine, linear: length of the decay (> 0)
  float min_lr = 0.0f;      // cosine, linear
};

class LrSchedule {
 public:
  // Throws Error(kInvalidArgument) on an unknown kind or bad option.
  LrSchedule(float base_lr, const LrScheduleOptions& options);
  float lr_at(int64_t step) const;
  float base_lr() const { return base_; }

 private:
  enum class Kind { kConstant, kStep, kCosine, kLinear };
  float base_;
  Kind kind_;
  LrScheduleOptions options_;
};

struct PlateauOptions {
  bool maximize = false;     // mode 'max' (e.g. accuracy) instead of 'min' (loss)
  float factor = 0.1f;       // new lr = lr * factor
  int patience = 10;         // bad epochs tolerated before reducing
  float threshold = 1e-4f;   // improvement needed to count as better
  bool relative = true;      // threshold_mode 'rel' (else 'abs')
  int cooldown = 0;          // epochs to wait after a reduction
  float min_lr = 0.0f;
  float eps = 1e-8f;         // reductions smaller than this are skipped
};

// torch.optim.lr_scheduler.ReduceLROnPlateau.
class ReduceOnPlateau {
 public:
  ReduceOnPlateau(float lr, const PlateauOptions& options);
  // Feeds one metric value (one epoch); returns the learning rate to use from now on.
  float step(double metric);
  float lr() const { return lr_; }
  int bad_epochs() const { return bad_; }

 private:
  bool better(double metric) const;
  PlateauOptions options_;
  float lr_;
  double best_;
  int bad_ = 0;
  int cooldown_left_ = 0;
};

}  // namespace zhsenti::nn
