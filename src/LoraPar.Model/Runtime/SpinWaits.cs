namespace LoraPar.Model.Runtime;

/// <summary>
/// OpenMP waits for a process that has the cores to itself: idle workers spin for a bounded time between parallel regions
/// (<c>OMP_WAIT_POLICY=ACTIVE</c> with <c>GOMP_SPINCOUNT</c> = <see cref="Spins"/>, about 1 – 4 ms), then sleep. Bit for bit the
/// same arithmetic as sleeping waits (<see cref="TorchRuntime"/>'s default): only how an idle worker waits changes. Measured on
/// a 2-core AMD EPYC VM (2026-12-04, <c>bench pretrain</c>, alternating): 4.67 – 4.71 pretraining steps/s against 3.61 – 4.10
/// sleeping and 4.10 – 4.57 spinning without a bound; but three quickstart stages at once, each spinning, took 473 s where
/// sleeping took 141 s — a spinning worker takes the core another process needs. So only a process alone on the cores may spin.
/// </summary>
public static class SpinWaits
{
    /// <summary>libgomp's wait policy variable.</summary>
    public const string Policy = "OMP_WAIT_POLICY";

    /// <summary>libgomp's bound on a spinning wait, in spin iterations.</summary>
    public const string SpinCount = "GOMP_SPINCOUNT";

    /// <summary>The spins before a worker sleeps.</summary>
    public const long Spins = 100_000;

    /// <summary>
    /// The variables that give a child process spinning waits, or none when the user chose either variable (theirs is inherited).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForChild(Func<string, string?> environment) =>
        UserChose(environment)
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [Policy] = "ACTIVE", [SpinCount] = Spins.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>The waits this process's environment asks for, for the run log (unset: lorapar's default, sleeping).</summary>
    public static string Describe(Func<string, string?> environment) =>
        UserChose(environment) ? $"{Policy}={environment(Policy)} {SpinCount}={environment(SpinCount)}" : $"sleeping ({Policy}=PASSIVE, lorapar's default)";

    /// <summary>Whether either variable is set (an empty value counts as unset, as for every variable lorapar exports).</summary>
    private static bool UserChose(Func<string, string?> environment) =>
        !string.IsNullOrEmpty(environment(Policy)) || !string.IsNullOrEmpty(environment(SpinCount));
}
