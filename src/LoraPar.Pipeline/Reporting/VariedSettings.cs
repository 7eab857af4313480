namespace LoraPar.Pipeline.Reporting;

/// <summary>
/// The settings that tell a sweep's runs apart: the swept manifest values (dotted paths) that differ between the runs, with a
/// short header for each (the path's last part, or the whole path when two varied paths end alike), and each run's label.
/// </summary>
public sealed record VariedSettings(IReadOnlyList<string> Paths)
{
    /// <summary>The swept values of <paramref name="runs"/> that take more than one value across them, in sweep order (pure).</summary>
    public static VariedSettings Of(IReadOnlyList<RunResults> runs) => new(runs
        .SelectMany(r => r.Variant.Point.Select(p => p.Key)).Distinct()
        .Where(path => runs.Select(r => Value(r, path)).Distinct().Count() > 1)
        .ToList());

    /// <summary>The column header of <paramref name="path"/>.</summary>
    public string Header(string path)
    {
        var last = path.Split('.')[^1];
        return Paths.Count(p => p.Split('.')[^1] == last) > 1 ? path : last;
    }

    /// <summary>The value <paramref name="run"/> has at <paramref name="path"/>, or "—" when it does not sweep it.</summary>
    public static string Value(RunResults run, string path) => run.Variant.Point.FirstOrDefault(p => p.Key == path).Value ?? "—";

    /// <summary>The run's label, e.g. <c>selection=importance</c>; its name when no setting varies.</summary>
    public string Label(RunResults run) =>
        Paths.Count == 0 ? run.Variant.Name : string.Join(", ", Paths.Select(p => $"{Header(p)}={Value(run, p)}"));
}
