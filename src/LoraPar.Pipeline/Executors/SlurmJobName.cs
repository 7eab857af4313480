namespace LoraPar.Pipeline.Executors;

/// <summary>
/// The name of a stage's job, <c>lorapar.&lt;manifest&gt;.&lt;stage&gt;.&lt;key12&gt;</c>: <c>squeue</c> shows which experiment, stage and
/// artifact a job computes.
/// </summary>
public static class SlurmJobName
{
    /// <summary>The job name of stage <paramref name="kind"/> with key <paramref name="key"/> submitted for <paramref name="manifest"/>.</summary>
    public static string Of(string manifest, string kind, string key) => $"lorapar.{manifest}.{kind}.{key[..12]}";
}
