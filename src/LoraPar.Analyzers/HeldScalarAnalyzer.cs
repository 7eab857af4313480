using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace LoraPar.Analyzers;

/// <summary>
/// TorchSharp's <c>Scalar</c> passes only its native handle (an <c>IntPtr</c>) to libtorch. A Scalar that nothing
/// references after that read can be collected while the native call runs, and its finalizer frees the
/// <c>c10::Scalar</c> that libtorch is still reading: an INTERNAL ASSERT in Scalar.h, or silently a wrong value
/// (reproduced: <c>x.add(2.0)</c> under a collecting thread). This analyzer makes every Scalar live across its call:
/// LP0001 for a Scalar made by a conversion or a call that no <c>using</c> local, field or return holds; LP0002 for a
/// TorchSharp member that makes such a Scalar inside itself (<see cref="TemporaryScalarMembers"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HeldScalarAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Unheld = new(
        "LP0001", "TorchSharp Scalar not held across its call",
        "This makes a TorchSharp Scalar that nothing holds while libtorch reads it; the GC can free it mid-call. Hold it in a `using` local (or a field) for the call.",
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    internal static readonly DiagnosticDescriptor MakesTemporary = new(
        "LP0002", "TorchSharp member makes an unheld Scalar inside itself",
        "'{0}' makes a TorchSharp Scalar inside itself that nothing holds while libtorch reads it; the GC can free it mid-call. Call an overload with a held Scalar (LoraPar.Model.Runtime.HeldScalars).",
        "Reliability", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Unheld, MakesTemporary];

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(OnConversion, OperationKind.Conversion);
        context.RegisterOperationAction(OnInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(OnOperator, OperationKind.Binary, OperationKind.Unary, OperationKind.CompoundAssignment);
        context.RegisterOperationAction(OnCreation, OperationKind.ObjectCreation);
    }

    private static void OnConversion(OperationAnalysisContext context)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (conversion.OperatorMethod is not { } method) return;
        if (!IsScalar(method.ReturnType)) ReportTemporary(context, method, conversion);
        else if (!IsHeld(conversion)) context.ReportDiagnostic(Diagnostic.Create(Unheld, conversion.Syntax.GetLocation()));
    }

    private static void OnInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (IsScalar(invocation.TargetMethod.ReturnType) && !IsHeld(invocation))
            context.ReportDiagnostic(Diagnostic.Create(Unheld, invocation.Syntax.GetLocation()));
        ReportTemporary(context, invocation.TargetMethod, invocation);
    }

    private static void OnCreation(OperationAnalysisContext context)
    {
        if (((IObjectCreationOperation)context.Operation).Constructor is { } constructor) ReportTemporary(context, constructor, context.Operation);
    }

    private static void OnOperator(OperationAnalysisContext context)
    {
        var method = context.Operation switch
        {
            IBinaryOperation binary => binary.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            ICompoundAssignmentOperation compound => compound.OperatorMethod,
            _ => null,
        };
        if (method is not null) ReportTemporary(context, method, context.Operation);
    }

    private static void ReportTemporary(OperationAnalysisContext context, IMethodSymbol method, IOperation at)
    {
        if (method.ContainingAssembly?.Name != TorchSharp) return;         // every other call: no signature built
        var signature = TemporaryScalarMembers.Signature(method.OriginalDefinition);
        if (TemporaryScalarMembers.All.Contains(signature))
            context.ReportDiagnostic(Diagnostic.Create(MakesTemporary, at.Syntax.GetLocation(), signature));
    }

    /// <summary>Whether the Scalar this operation makes is kept referenced past the call that reads it.</summary>
    private static bool IsHeld(IOperation made)
    {
        var parent = made.Parent;
        while (parent is IConversionOperation { OperatorMethod: null } or IParenthesizedOperation) parent = parent.Parent;
        return parent switch
        {
            IReturnOperation => true,                                      // a factory: its caller holds the result
            IFieldInitializerOperation or IPropertyInitializerOperation => true,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } => true,
            IVariableInitializerOperation initializer => IsUsingDeclared(initializer),
            _ => false,
        };
    }

    private static bool IsUsingDeclared(IVariableInitializerOperation initializer)
    {
        var group = initializer.Parent?.Parent?.Parent;                    // declarator → declaration → group
        return group is IVariableDeclarationGroupOperation && group.Parent is IUsingDeclarationOperation or IUsingOperation;
    }

    private const string TorchSharp = "TorchSharp";

    private static bool IsScalar(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Scalar", ContainingNamespace: { Name: TorchSharp, ContainingNamespace.IsGlobalNamespace: true } };
}
