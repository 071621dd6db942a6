#pragma once
// What the environment says about an MPI launcher, read before (or instead of) MPI_Init.

namespace zhsenti::dist::detail {

// The world size an MPI launcher (Open MPI's mpirun, Hydra, Slurm's PMI/PMIx) announces to
// this process; 0 when none started it.
int launcher_world_size();

}  // namespace zhsenti::dist::detail
