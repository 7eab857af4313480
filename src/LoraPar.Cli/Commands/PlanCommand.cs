using System.CommandLine;
using LoraPar.Pipeline.Planning;

namespace LoraPar.Cli.Commands;

/// <summary>
/// <c>lorapar plan &lt;manifest&gt; [--device-memory 80GiB] [--device-flops F] [--device-bandwidth B] [--model-config config.json]
/// [--json]</c>: per GPU stage, the predicted peak memory by part, the time, and whether it fits.
/// </summary>
public static class PlanCommand
{
    public static Command Create(TextWriter stdout)
    {
        var manifest = new Argument<string>("manifest") { Description = "The experiment manifest (TOML)." };
        var memory = new Option<string?>("--device-memory") { Description = "The device's memory, e.g. 80GiB or 141GB (default: nvidia-smi's on CUDA, this machine's RAM on the CPU)." };
        var flops = new Option<double?>("--device-flops") { Description = "Sustained FLOP/s (default: 40% of H100/H200 bf16 peak on CUDA, 5e10 on the CPU)." };
        var bandwidth = new Option<double?>("--device-bandwidth") { Description = "Memory bandwidth in bytes/s (default: 3.35e12 on CUDA, 2e10 on the CPU)." };
        var config = new Option<string?>("--model-config") { Description = "The model's config.json, for a checkpoint that is not on this machine." };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var command = new Command("plan", "Predict each GPU stage's peak memory (by part) and time, and whether it fits the device.")
        {
            manifest, memory, flops, bandwidth, config, json,
        };
        command.SetAction(parsed =>
        {
            var options = new PlanOptions(parsed.GetValue(memory), parsed.GetValue(flops), parsed.GetValue(bandwidth), parsed.GetValue(config));
            PipelineCommandContext.Service(stdout).PlanResources(parsed.GetValue(manifest)!, options, parsed.GetValue(json));
            return 0;
        });
        return command;
    }
}
