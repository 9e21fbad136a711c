#pragma once
// The training/validation split every fitting and scoring command uses (docs/validation.md).
// Training: the real data in ../shared/data (to 2009) and the seeds' facts dated up to 2014 (the
// 2014 shift, the first Japan-Israel dialogue, the 2013 US-Japan dialogue). Validation: the seeds'
// facts from 2015 on. Nothing dated in the validation window may set a number of the model.
// Kept as one constant so `estimate`, `score`, `calibrate` and the docs cannot disagree.

namespace policysim::calibration {

// The last calendar year whose evidence may be used to set a number.
inline constexpr int kLastTrainingYear = 2014;
// The first calendar year whose evidence is held out for validation.
inline constexpr int kFirstValidationYear = kLastTrainingYear + 1;

// Whether evidence dated in [first_year, last_year] may be used for training.
constexpr bool is_training_evidence(int last_year) { return last_year <= kLastTrainingYear; }

}  // namespace policysim::calibration
