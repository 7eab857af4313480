namespace LoraPar.Core.Settings;

/// <summary>Validation helpers shared by every <see cref="ISettings"/> record.</summary>
public static class SettingsValidation
{
    /// <summary>Returns <paramref name="settings"/>, or throws one <see cref="BadInputException"/> naming every problem.</summary>
    /// <param name="settings">The record.</param>
    /// <param name="section">How a user names it (e.g. <c>sft</c>), prefixed to each key.</param>
    public static T Validated<T>(this T settings, string section) where T : ISettings
    {
        var problems = settings.Problems();
        if (problems.Count == 0) return settings;
        throw new BadInputException(string.Join("; ", problems.Select(p => $"{section}.{p.Key}: {p.Message}")));
    }

    /// <summary>The problems of a nested record, their keys prefixed with <paramref name="key"/> and a dot.</summary>
    public static IEnumerable<SettingProblem> Nested(string key, ISettings nested) =>
        nested.Problems().Select(p => p with { Key = $"{key}.{p.Key}" });

    /// <summary>Adds a problem for <paramref name="key"/> when <paramref name="ok"/> is false.</summary>
    public static void Require(this List<SettingProblem> problems, bool ok, string key, string message)
    {
        if (!ok) problems.Add(new SettingProblem(key, message));
    }

    /// <summary>Whether <paramref name="value"/> is a finite number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static bool Within(double value, double min, double max) => double.IsFinite(value) && value >= min && value <= max;
}
