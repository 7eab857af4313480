using LoraPar.Model.Objectives;
using LoraPar.Training.Data;

namespace LoraPar.Training.Sft;

/// <summary>The examples of an SFT stage.</summary>
/// <param name="Train">The training split (stage 1: System-1 data); empty is bad input.</param>
/// <param name="Eval">The held-out split whose answer loss is reported (may be empty).</param>
/// <param name="PadId">The tokenizer's padding id (padding carries no label, so any valid id works).</param>
public sealed record SftData(IReadOnlyList<AnswerExample> Train, IReadOnlyList<AnswerExample> Eval, int PadId);

/// <summary>The outcome of an SFT stage.</summary>
/// <param name="Steps">Optimizer steps of the stage (all done).</param>
/// <param name="ResumedFromStep">The step the run continued from (0 for a fresh start).</param>
/// <param name="FinalLoss">Mean answer loss of the last logged window (NaN when this process ran no step).</param>
/// <param name="FinalEvalLoss">Held-out answer loss at the end, or null without a held-out split.</param>
/// <param name="StepLosses">Mean answer loss of each step this process ran, in order.</param>
/// <param name="FinalCheckpoint">The checkpoint folder written at the end (its <c>adapter/</c> is the stage's adapter).</param>
/// <param name="DroppedExamples">Training examples left without a response token by truncation.</param>
/// <param name="TrainableElements">Active LoRA elements the optimizer updated.</param>
/// <param name="FrozenElementsChecked">Frozen LoRA elements verified bit-identical at the end.</param>
/// <param name="SkippedSteps">fp16 steps skipped for gradient overflow (0 in float32 and bf16).</param>
public sealed record SftResult(int Steps, int ResumedFromStep, double FinalLoss, double? FinalEvalLoss, IReadOnlyList<double> StepLosses,
    string FinalCheckpoint, int DroppedExamples, long TrainableElements, long FrozenElementsChecked, int SkippedSteps);
