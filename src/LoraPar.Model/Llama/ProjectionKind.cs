namespace LoraPar.Model.Llama;

/// <summary>The seven linear projections of a decoder layer; adapters target them by kind (paper: "QKVGUD" and O).</summary>
public enum ProjectionKind
{
    Q,
    K,
    V,
    O,
    Gate,
    Up,
    Down,
}

/// <summary>Names of <see cref="ProjectionKind"/>s: the HF module name (<c>q_proj</c>) and the one-letter statistic name (<c>Q</c>).</summary>
public static class ProjectionNames
{
    /// <summary>All kinds in layer order.</summary>
    public static IReadOnlyList<ProjectionKind> All { get; } =
        [ProjectionKind.Q, ProjectionKind.K, ProjectionKind.V, ProjectionKind.O, ProjectionKind.Gate, ProjectionKind.Up, ProjectionKind.Down];

    /// <summary>The HF module name, e.g. <c>gate_proj</c>.</summary>
    public static string ModuleName(ProjectionKind kind) => kind switch
    {
        ProjectionKind.Q => "q_proj",
        ProjectionKind.K => "k_proj",
        ProjectionKind.V => "v_proj",
        ProjectionKind.O => "o_proj",
        ProjectionKind.Gate => "gate_proj",
        ProjectionKind.Up => "up_proj",
        ProjectionKind.Down => "down_proj",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The one-letter name used in statistics: Q K V O G U D.</summary>
    public static char Letter(ProjectionKind kind) => "QKVOGUD"[(int)kind];

    /// <summary>The kind of an HF module name (<c>q_proj</c>) or letter (<c>Q</c>, case-insensitive); null when neither.</summary>
    public static ProjectionKind? Parse(string name) =>
        All.Cast<ProjectionKind?>().FirstOrDefault(k => ModuleName(k!.Value) == name
            || (name.Length == 1 && char.ToUpperInvariant(name[0]) == Letter(k.Value)));
}
