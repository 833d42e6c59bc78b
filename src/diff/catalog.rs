//! The catalog of change kinds: one row per kind, with its id, its default bump and a summary.
//!
//! This table is the single source of truth. The id is the JSON `kind`, the `rules` key in
//! `[tool.bumpwise]` and the fixture directory under `testdata/changes/`; tests check that rows
//! and fixtures match one to one.

use serde::Serialize;

use crate::version::Bump;

macro_rules! catalog {
    ($( $(#[doc = $doc:literal])* $variant:ident = $id:literal, $bump:ident, $summary:literal; )*) => {
        /// A kind of API change. See each variant for what changed and why callers break.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ChangeKind {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl ChangeKind {
            /// Every kind, in catalog order.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant,)*];

            /// The stable kebab-case id.
            pub fn id(self) -> &'static str {
                match self { $(ChangeKind::$variant => $id,)* }
            }

            /// The bump this kind demands unless `[tool.bumpwise] rules` overrides it.
            pub fn bump(self) -> Bump {
                match self { $(ChangeKind::$variant => Bump::$bump,)* }
            }

            /// One line saying what the kind means.
            pub fn summary(self) -> &'static str {
                match self { $(ChangeKind::$variant => $summary,)* }
            }

            /// The long documentation of the kind (its rustdoc).
            pub fn docs(self) -> &'static str {
                match self { $(ChangeKind::$variant => concat!($($doc, "\n",)*),)* }
            }

            /// Looks a kind up by id.
            pub fn from_id(id: &str) -> Option<ChangeKind> {
                ChangeKind::ALL.iter().copied().find(|k| k.id() == id)
            }
        }
    };
}

impl Serialize for ChangeKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

catalog! {
    /// **What changed**: a public module is gone (removed, renamed or made private).
    ModuleRemoved = "module-removed", Major, "a public module can no longer be imported";
    /// **What changed**: a new public module.
    ModuleAdded = "module-added", Minor, "a new public module";
    /// **What changed**: a name a public module exported is gone.
    NameRemoved = "name-removed", Major, "a name a module exported is gone";
    /// **What changed**: a module exports a new name.
    NameAdded = "name-added", Minor, "a new public name";
    /// **What changed**: a name left one public path and appeared, same kind and signature, at another.
    NameMoved = "name-moved", Major, "a name moved to another module; the old import fails";
    /// **What changed**: a name's definition was removed, but the module's `__getattr__` still serves it.
    NameServedByGetattr = "name-served-by-getattr", Minor, "a name is now served by a module `__getattr__` shim";
    /// **What changed**: a name now warns with `DeprecationWarning` or carries `@deprecated`.
    NameDeprecated = "name-deprecated", Minor, "a name is now deprecated";
    /// **What changed**: a name changed what it is (function to class, variable to function, method to property).
    KindChanged = "kind-changed", Major, "a name changed kind, so callers use it differently";
    /// **What changed**: a parameter callers could pass is gone.
    ParameterRemoved = "parameter-removed", Major, "a parameter callers could pass is gone";
    /// **What changed**: a new parameter without a default.
    ParameterAddedRequired = "parameter-added-required", Major, "a new parameter without a default";
    /// **What changed**: a new optional parameter at the end of the positional ones, or keyword-only.
    ParameterAddedOptional = "parameter-added-optional", Minor, "a new parameter with a default";
    /// **What changed**: a new optional positional parameter before an existing positional one.
    ParameterInserted = "parameter-inserted", Major, "a new positional parameter shifts existing positional calls";
    /// **What changed**: a parameter that can be passed by keyword has a new name.
    ParameterRenamed = "parameter-renamed", Major, "a parameter callers pass by keyword was renamed";
    /// **What changed**: a positional-only parameter has a new name.
    PositionalOnlyRenamed = "positional-only-renamed", Patch, "a positional-only parameter was renamed";
    /// **What changed**: positional parameters changed order.
    ParametersReordered = "parameters-reordered", Major, "positional parameters changed order";
    /// **What changed**: a positional-or-keyword parameter became keyword-only.
    ParameterBecameKeywordOnly = "parameter-became-keyword-only", Major, "a parameter can no longer be passed by position";
    /// **What changed**: a keyword-only parameter became positional-or-keyword (at the end).
    ParameterBecamePositional = "parameter-became-positional", Minor, "a keyword-only parameter can now also be passed by position";
    /// **What changed**: a positional-or-keyword parameter became positional-only.
    ParameterBecamePositionalOnly = "parameter-became-positional-only", Major, "a parameter can no longer be passed by keyword";
    /// **What changed**: a parameter lost its default and is now required.
    DefaultRemoved = "default-removed", Major, "a parameter lost its default and is now required";
    /// **What changed**: a required parameter gained a default.
    DefaultAdded = "default-added", Minor, "a required parameter is now optional";
    /// **What changed**: a parameter's default value changed.
    DefaultChanged = "default-changed", Patch, "a default value changed (a behaviour change)";
    /// **What changed**: `*args` or `**kwargs` is gone.
    VariadicRemoved = "variadic-removed", Major, "`*args` or `**kwargs` is gone";
    /// **What changed**: `*args` or `**kwargs` was added.
    VariadicAdded = "variadic-added", Minor, "`*args` or `**kwargs` was added";
    /// **What changed**: `def` became `async def`, or the reverse.
    AsyncChanged = "async-changed", Major, "a function became async, or stopped being async";
    /// **What changed**: a function became a generator, or the reverse.
    GeneratorChanged = "generator-changed", Major, "a function became a generator, or stopped being one";
    /// **What changed**: a public method, attribute or property of a class is gone.
    MemberRemoved = "member-removed", Major, "a public member of a class is gone";
    /// **What changed**: a class has a new public method, attribute or property.
    MemberAdded = "member-added", Minor, "a new public member of a class";
    /// **What changed**: an instance method became a staticmethod or classmethod with the same bound parameters.
    MethodBecameStatic = "method-became-static", Minor, "an instance method became a static or class method";
    /// **What changed**: a staticmethod or classmethod became an instance method.
    MethodBecameInstance = "method-became-instance", Major, "a static or class method became an instance method";
    /// **What changed**: an `@abstractmethod` was added to a public class.
    AbstractMethodAdded = "abstract-method-added", Major, "subclasses must now implement a new abstract method";
    /// **What changed**: a `Protocol` has a new member.
    ProtocolMemberAdded = "protocol-member-added", Major, "implementers of a Protocol must provide a new member";
    /// **What changed**: a dataclass or attrs class became frozen.
    ClassFrozen = "class-frozen", Major, "instances can no longer be assigned to";
    /// **What changed**: a class gained `__slots__`.
    SlotsAdded = "slots-added", Major, "instances no longer accept new attributes";
    /// **What changed**: a public base class was removed or swapped for another.
    BaseRemoved = "base-removed", Major, "a base class is gone: `isinstance` and inherited members change";
    /// **What changed**: a class has a new base.
    BaseAdded = "base-added", Minor, "a class has a new base class";
    /// **What changed**: a private base was removed or swapped, and the public members stayed.
    PrivateBaseChanged = "private-base-changed", Patch, "a private base class changed; public members are the same";
    /// **What changed**: an Enum member is gone.
    EnumMemberRemoved = "enum-member-removed", Major, "an Enum member is gone";
    /// **What changed**: an Enum has a new member.
    EnumMemberAdded = "enum-member-added", Minor, "an Enum has a new member";
    /// **What changed**: a module-level constant's or an Enum member's value changed.
    ValueChanged = "value-changed", Patch, "a constant's value changed";
    /// **What changed**: only annotations changed (parameters, return, attributes, TypedDict keys).
    AnnotationChanged = "annotation-changed", Patch, "a type annotation changed; runtime calls are unaffected";
    /// **What changed**: an `@overload` variant is gone.
    OverloadRemoved = "overload-removed", Major, "an `@overload` variant is gone";
    /// **What changed**: a new `@overload` variant.
    OverloadAdded = "overload-added", Minor, "a new `@overload` variant";
}
