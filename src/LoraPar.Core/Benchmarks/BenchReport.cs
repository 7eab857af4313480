using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoraPar.Core.Benchmarks;

/// <summary>The machine a benchmark ran on.</summary>
public sealed record BenchMachine(int Cores, string Device);

/// <summary>One suite's results in the JSON shape of DESIGN.md's benchmark convention.</summary>
public sealed record BenchReport(string Suite, string ToolVersion, BenchMachine Machine, IReadOnlyList<BenchFigure> Figures)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The report as one JSON object: suite, tool_version, machine, figures[name, value, unit, better, goal].</summary>
    public string ToJson()
    {
        var figures = Figures.Select(f => new FigureJson(f.Name, Significant(f.Value, 5), f.Unit, f.Better, f.Goal));
        return JsonSerializer.Serialize(new ReportJson(Suite, ToolVersion, Machine, figures.ToList()), Json);
    }

    /// <summary>
    /// <paramref name="value"/> rounded to <paramref name="digits"/> significant digits: a ratio keeps 4 decimals and a
    /// difference of 1.2e-7 stays 1.2e-7 (fixed decimals would print it as 0).
    /// </summary>
    public static double Significant(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value))) + 1;
        var decimals = digits - magnitude;
        if (decimals is >= 0 and <= 15) return Math.Round(value, decimals);
        var scale = Math.Pow(10, magnitude - digits);
        return Math.Round(value / scale) * scale;
    }

    /// <summary>A readable table: one row per figure with its goal and whether it is met.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine($"bench {Suite} — lorapar {ToolVersion}, {Machine.Cores} cores, {Machine.Device}");
        var width = Math.Max(6, Figures.Max(f => (int?)f.Name.Length) ?? 6);
        text.AppendLine($"{"figure".PadRight(width)}  {"value",12}  {"unit",-9} goal");
        foreach (var f in Figures)
        {
            var goal = f.Goal is { } g ? $"{(f.Better == Better.Higher ? ">=" : "<=")} {g:G4} {(f.MeetsGoal ? "met" : "NOT met")}" : "";
            text.AppendLine($"{f.Name.PadRight(width)}  {f.Value,12:G5}  {f.Unit,-9} {goal}");
        }
        return text.ToString();
    }

    private sealed record FigureJson(string Name, double Value, string Unit, Better Better, double? Goal);

    private sealed record ReportJson(string Suite, string ToolVersion, BenchMachine Machine, IReadOnlyList<FigureJson> Figures);
}
