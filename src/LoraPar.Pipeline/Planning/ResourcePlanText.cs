using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoraPar.Pipeline.Planning;

/// <summary>A <see cref="ResourcePlan"/> as an aligned table with a verdict line per stage, or as JSON.</summary>
public static class ResourcePlanText
{
    private static readonly string[] Parts = ["weights", "lora", "optimizer", "activations", "kv_cache", "capture", "reference", "copies"];

    /// <summary>The table.</summary>
    public static string Render(ResourcePlan plan)
    {
        var s = plan.Shape;
        var c = s.Config;
        var text = new StringBuilder();
        text.AppendLine($"# resource plan for {string.Join(", ", plan.Runs)}");
        text.AppendLine($"model: {c.NumHiddenLayers} layers, d {c.HiddenSize}, ffn {c.IntermediateSize}, heads {c.NumAttentionHeads}/{c.NumKeyValueHeads}, "
            + $"vocab {c.VocabSize}: {Sci(s.Parameters)} parameters at {s.WeightBytes} bytes; LoRA r {s.Rank} on {string.Join(", ", s.Targets)}: "
            + $"{Sci(s.LoraElements)} elements at {s.AdapterBytes} bytes");
        text.AppendLine($"device: {plan.Device.Basis}{(plan.Device.Cuda && plan.Device.MemoryBytes is not null ? $"; {ByteSize.Format(PlanDevice.CudaReserve)} kept back for the CUDA context" : "")}");
        text.AppendLine($"data: {plan.Data.Basis}");
        text.AppendLine($"{"stage",-10}{string.Concat(Parts.Select(p => $"{p,12}"))}{"peak",12}{"time",12}  verdict");
        foreach (var stage in plan.Stages)
        {
            var m = stage.Memory;
            double[] values = [m.Weights, m.Lora, m.Optimizer, m.Activations, m.KvCache, m.GradientCapture, m.Reference, m.ExtraCopies];
            text.AppendLine($"{stage.Kind,-10}{string.Concat(values.Select(v => $"{Size(v),12}"))}{Size(m.Peak),12}{Duration(stage.Time.Seconds),12}  {Verdict(stage)}");
        }
        foreach (var stage in plan.Stages) text.AppendLine($"  {stage.Kind}: time for {stage.Time.Basis}");
        return text.ToString();
    }

    /// <summary>The plan as JSON (bytes and seconds as numbers).</summary>
    public static JsonObject Json(ResourcePlan plan) => new()
    {
        ["runs"] = new JsonArray(plan.Runs.Select(r => (JsonNode)r).ToArray()),
        ["parameters"] = plan.Shape.Parameters,
        ["lora_elements"] = plan.Shape.LoraElements,
        ["device"] = new JsonObject
        {
            ["cuda"] = plan.Device.Cuda, ["memory_bytes"] = plan.Device.MemoryBytes, ["usable_bytes"] = plan.Device.Usable,
            ["flops_per_second"] = plan.Device.FlopsPerSecond, ["bytes_per_second"] = plan.Device.BytesPerSecond, ["basis"] = plan.Device.Basis,
        },
        ["data"] = new JsonObject { ["train"] = plan.Data.Train, ["eval"] = plan.Data.Eval, ["basis"] = plan.Data.Basis },
        ["stages"] = new JsonArray(plan.Stages.Select(Stage).ToArray()),
    };

    /// <summary>One line per stage for <c>run</c>: its peak, and the verdict.</summary>
    public static IEnumerable<string> Verdicts(ResourcePlan plan) =>
        plan.Stages.Select(s => $"plan: {s.Kind} needs about {Size(s.Memory.Peak)} — {Verdict(s)}");

    private static JsonNode Stage(StagePlan s)
    {
        var m = s.Memory;
        return new JsonObject
        {
            ["stage"] = s.Kind,
            ["memory_bytes"] = new JsonObject
            {
                ["weights"] = m.Weights, ["lora"] = m.Lora, ["optimizer"] = m.Optimizer, ["activations"] = m.Activations, ["kv_cache"] = m.KvCache,
                ["capture"] = m.GradientCapture, ["reference"] = m.Reference, ["copies"] = m.ExtraCopies, ["peak"] = m.Peak,
            },
            ["seconds"] = s.Time.Seconds,
            ["time_basis"] = s.Time.Basis,
            ["verdict"] = JsonNamingPolicy.KebabCaseLower.ConvertName(s.Verdict.ToString()),
            ["fix"] = s.Fix,
        };
    }

    private static string Verdict(StagePlan s) => s.Verdict switch
    {
        PlanVerdict.Fits => "fits",
        PlanVerdict.Unknown => "no verdict (device memory unknown)",
        _ => s.Fix is { } fix ? $"does not fit; fits with {fix}" : "does not fit at any setting tried; use a larger device",
    };

    private static string Size(double bytes) => bytes == 0 ? "-" : ByteSize.Format(bytes);

    private static string Duration(double seconds) => seconds switch
    {
        < 60 => $"{seconds.ToString(seconds < 10 ? "0.00" : "0", CultureInfo.InvariantCulture)} s",
        < 3600 => $"{(seconds / 60).ToString("0.0", CultureInfo.InvariantCulture)} min",
        _ => $"{(seconds / 3600).ToString("0.0", CultureInfo.InvariantCulture)} h",
    };

    private static string Sci(double value) => value.ToString("0.00e0", CultureInfo.InvariantCulture);
}
