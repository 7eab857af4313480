namespace LoraPar.Pipeline.Manifest.Toml;

/// <summary>What a list-valued key must satisfy beyond its items' type and range (combine with <c>|</c>).</summary>
[Flags]
public enum ListRules
{
    /// <summary>Any list, empty or with repeats.</summary>
    None = 0,

    /// <summary>At least one item.</summary>
    NonEmpty = 1,

    /// <summary>No item twice (enum values compare as parsed, so case does not hide a repeat).</summary>
    Distinct = 2,
}
