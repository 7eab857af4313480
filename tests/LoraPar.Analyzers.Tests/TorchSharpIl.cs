using System.Reflection;
using TorchSharp;

namespace LoraPar.Analyzers.Tests;

/// <summary>
/// Reads TorchSharp's own IL: the public members that make a Scalar (an implicit conversion or a <c>ToScalar</c> call)
/// inside themselves or inside a member they call — the reference the analyzer's list is checked against.
/// </summary>
internal static class TorchSharpIl
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary><c>Namespace.Outer+Inner.name(ParamType,…)</c> of every public member that makes a Scalar on its way to libtorch.</summary>
    public static SortedSet<string> MembersMakingScalars()
    {
        var assembly = typeof(Scalar).Assembly;
        var makers = ScalarMakers();
        var callers = new Dictionary<MethodBase, HashSet<MethodBase>>();
        var direct = new HashSet<MethodBase>();
        foreach (var method in assembly.GetTypes().Where(t => t != typeof(Scalar) && t != typeof(ScalarExtensionMethods)).SelectMany(Methods))
            foreach (var callee in Callees(method))
            {
                if (makers.Contains(callee)) direct.Add(method);
                if (!callers.TryGetValue(callee, out var set)) callers[callee] = set = [];
                set.Add(method);
            }
        var all = new HashSet<MethodBase>(direct);
        var queue = new Queue<MethodBase>(direct);
        while (queue.TryDequeue(out var next))
            if (callers.TryGetValue(next, out var up))
                foreach (var caller in up.Where(all.Add)) queue.Enqueue(caller);
        return new SortedSet<string>(all.Where(IsPublic).Select(Signature), StringComparer.Ordinal);
    }

    public static string Signature(MethodBase m) =>
        $"{m.DeclaringType!.FullName}.{m.Name}({string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name))})";

    private static HashSet<MethodBase> ScalarMakers() =>
    [
        .. typeof(Scalar).GetMethods().Where(m => m.Name == "op_Implicit"),
        .. typeof(ScalarExtensionMethods).GetMethods().Where(m => m.ReturnType == typeof(Scalar)),
    ];

    private static IEnumerable<MethodBase> Methods(Type type) =>
        type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything));

    private static bool IsPublic(MethodBase m) => m.IsPublic && (m.DeclaringType!.IsPublic || m.DeclaringType.IsNestedPublic);

    /// <summary>The methods <paramref name="method"/>'s IL calls (call, callvirt, newobj), read operand by operand.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException) { yield break; }
        if (il is null) yield break;
        var generic = (method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null,
            method.IsGenericMethod ? method.GetGenericArguments() : null);
        for (var i = 0; i < il.Length - 4; i++)
        {
            if (il[i] is not (0x28 or 0x6F or 0x73)) continue;   // call, callvirt, newobj: a 4-byte method token follows
            MethodBase? callee = null;
            try { callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1), generic.Item1, generic.Item2); }
            catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException) { }
            if (callee is not null) yield return callee;
        }
    }
}
