namespace LoraPar.Pipeline.Tests;

/// <summary>Tests that train in-process: they re-seed torch's global generator (dropout), so they must not run beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRngCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "global torch RNG";
}
