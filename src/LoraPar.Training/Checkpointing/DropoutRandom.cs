using LoraPar.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Training.Checkpointing;

/// <summary>
/// Dropout draws from torch's default generators, which no checkpoint format of TorchSharp covers on CUDA. The trainers
/// therefore re-seed them at the start of every optimizer step from (seed, step): the random state at any step is a pure
/// function of the step, so a resumed run draws exactly the masks an uninterrupted one would, on any device.
/// </summary>
public static class DropoutRandom
{
    /// <summary>The seed of optimizer step <paramref name="step"/> (0-based) of a stage seeded with <paramref name="seed"/>.</summary>
    public static long SeedFor(long seed, int step) =>
        unchecked((long)(DeterministicRandom.ForStream(seed, step).NextBits() >> 1));

    /// <summary>Seeds the default generators of the CPU and, when <paramref name="device"/> is CUDA, of every CUDA device.</summary>
    public static void Reseed(long seed, int step, Device device)
    {
        var value = SeedFor(seed, step);
        torch.random.manual_seed(value);
        if (device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(value);
    }
}
