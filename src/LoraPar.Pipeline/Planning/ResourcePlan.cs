using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Stages;

namespace LoraPar.Pipeline.Planning;

/// <summary>
/// The memory and time plan of one run's GPU stages on one device (<c>lorapar plan</c>): per stage the predicted peak by
/// part (<see cref="StageMemoryModel"/>), the time (<see cref="ThroughputModel"/>), and whether it fits — with the setting
/// that makes it fit when it does not (<see cref="PlanFixes"/>).
/// </summary>
/// <param name="Runs">The runs (sweep points) this plan holds for.</param>
/// <param name="Shape">The model.</param>
/// <param name="Device">The device.</param>
/// <param name="Data">The example counts.</param>
/// <param name="Stages">The stages, in pipeline order.</param>
public sealed record ResourcePlan(IReadOnlyList<string> Runs, PlanShape Shape, PlanDevice Device, PlanData Data, IReadOnlyList<StagePlan> Stages)
{
    /// <summary>The stages that do not fit.</summary>
    public IEnumerable<StagePlan> Misfits => Stages.Where(s => s.Verdict == PlanVerdict.DoesNotFit);

    /// <summary>The plan of <paramref name="m"/>'s stages <paramref name="kinds"/> (others are skipped) on <paramref name="device"/>.</summary>
    public static ResourcePlan Build(IReadOnlyList<string> runs, PipelineManifest m, IEnumerable<string> kinds, PlanShape shape, PlanDevice device)
    {
        var data = PlanData.Of(m);
        var stages = new List<StagePlan>();
        foreach (var kind in kinds.Distinct().OrderBy(k => StageKinds.All.ToList().IndexOf(k)))
        {
            if (StageMemoryModel.Of(kind, m, shape) is not { } memory) continue;
            var time = ThroughputModel.Of(kind, m, shape, device, data)!;
            var verdict = device.Usable is not { } usable ? PlanVerdict.Unknown : memory.Peak <= usable ? PlanVerdict.Fits : PlanVerdict.DoesNotFit;
            var fix = verdict == PlanVerdict.DoesNotFit ? PlanFixes.Find(kind, m, shape, device.Usable!.Value) : null;
            stages.Add(new StagePlan(kind, memory, time, verdict, fix));
        }
        return new ResourcePlan(runs, shape, device, data, stages);
    }
}
