//! The catalog of change kinds: one row per kind, with its id, its default bump and a summary.
//!
//! This table is the single source of truth. The id is the JSON `kind`, the `rules` key in
//! `[tool.bumpwise]` and the fixture directory under `testdata/changes/`; tests check that rows
//! and fixtures match one to one. Each row's docs follow fixed sections (**What changed**,
//! **Why callers break (or don't)**, **Example**, **Bump**), and [`ChangeKind::docs`] returns
//! them for an `explain` output.

use serde::Serialize;

use crate::version::Bump;

macro_rules! catalog {
    ($( $(#[doc = $doc:literal])* $variant:ident($test:ident) = $id:literal, $bump:ident, $summary:literal; )*) => {
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

            /// One line saying what the kind means. The guard tests read it; no output does yet.
            #[cfg_attr(not(test), allow(dead_code))]
            pub fn summary(self) -> &'static str {
                match self { $(ChangeKind::$variant => $summary,)* }
            }

            /// The long documentation of the kind (its rustdoc), checked by the guard tests.
            #[cfg_attr(not(test), allow(dead_code))]
            pub fn docs(self) -> &'static str {
                match self { $(ChangeKind::$variant => concat!($($doc, "\n",)*),)* }
            }

            /// Looks a kind up by id.
            pub fn from_id(id: &str) -> Option<ChangeKind> {
                ChangeKind::ALL.iter().copied().find(|k| k.id() == id)
            }
        }

        /// One test per kind, named after it (`cargo test parameter_removed`).
        #[cfg(test)]
        mod per_kind {
            $(
                #[test]
                fn $test() {
                    assert_eq!(stringify!($test).replace('_', "-"), $id);
                    super::tests::check_fixture(super::ChangeKind::$variant);
                }
            )*
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
    /// **What changed**: a public module is gone: deleted, renamed, or made private (`utils.py`
    /// became `_utils.py`). Its names are not listed one by one.
    ///
    /// **Why callers break (or don't)**: `import mypkg.utils` and `from mypkg.utils import x`
    /// raise `ModuleNotFoundError`.
    ///
    /// **Example**:
    /// ```python
    /// # before: src/mypkg/utils.py exists
    /// # after:  it was renamed to src/mypkg/tools.py
    /// from mypkg.utils import slugify  # ModuleNotFoundError
    /// ```
    ///
    /// **Bump**: major.
    ModuleRemoved(module_removed) = "module-removed", Major, "a public module can no longer be imported";
    /// **What changed**: a new public module. Its names are not listed one by one.
    ///
    /// **Why callers break (or don't)**: nothing existing changes; there is a new import target.
    ///
    /// **Example**:
    /// ```python
    /// # before: no src/mypkg/tools.py
    /// # after:  src/mypkg/tools.py
    /// from mypkg.tools import slugify  # new, works
    /// ```
    ///
    /// **Bump**: minor.
    ModuleAdded(module_added) = "module-added", Minor, "a new public module";
    /// **What changed**: a name a public module exported is gone: a function, class, constant or
    /// re-export deleted, made private, or dropped from `__all__`. Every public path is its own
    /// promise, so removing one of several paths of an object is reported too. A name that
    /// reappears at another path is a `name-moved` instead.
    ///
    /// **Why callers break (or don't)**: `from mypkg import x` raises `ImportError` and
    /// `mypkg.x` raises `AttributeError`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// __all__ = ["connect", "disconnect"]
    /// # after
    /// __all__ = ["connect"]
    /// from mypkg import disconnect  # ImportError (or no longer public)
    /// ```
    ///
    /// **Bump**: major.
    NameRemoved(name_removed) = "name-removed", Major, "a name a module exported is gone";
    /// **What changed**: a module exports a new name. An object that becomes public at several
    /// paths at once is one addition, at its shortest path, with the others in `also_at`.
    ///
    /// **Why callers break (or don't)**: nothing existing changes. A function renamed while its
    /// old name stays as an alias (`connect = open_connection`) is only this addition.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host): ...
    /// # after
    /// def open_connection(host): ...
    /// connect = open_connection
    /// mypkg.open_connection("db")  # new, works; mypkg.connect("db") still works
    /// ```
    ///
    /// **Bump**: minor.
    NameAdded(name_added) = "name-added", Minor, "a new public name";
    /// **What changed**: a name left one public path and appeared at another, as the same object
    /// (same origin) or with the same name, kind and signature. `moved_to` holds the new path;
    /// the new path is not also reported as added.
    ///
    /// **Why callers break (or don't)**: imports from the old path fail; the changelog can tell
    /// callers where the name went.
    ///
    /// **Example**:
    /// ```python
    /// # before: mypkg/utils.py
    /// def slugify(text): ...
    /// # after: mypkg/text.py
    /// def slugify(text): ...
    /// from mypkg.utils import slugify  # ImportError; use mypkg.text.slugify
    /// ```
    ///
    /// **Bump**: major.
    NameMoved(name_moved) = "name-moved", Major, "a name moved to another module; the old import fails";
    /// **What changed**: a name is no longer defined in its module, but the module's
    /// `def __getattr__(name)` still serves it (a deprecation shim, PEP 562).
    ///
    /// **Why callers break (or don't)**: `from mypkg import old_name` and `mypkg.old_name` keep
    /// working, usually with a `DeprecationWarning`: advance notice of a removal. A name the shim
    /// stops serving later is a `name-removed`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def old_name(): ...
    /// # after
    /// def __getattr__(name):
    ///     if name == "old_name":
    ///         warnings.warn("use new_name", DeprecationWarning)
    ///         return new_name
    ///     raise AttributeError(name)
    /// from mypkg import old_name  # still works, warns
    /// ```
    ///
    /// **Bump**: minor.
    NameServedByGetattr(name_served_by_getattr) = "name-served-by-getattr", Minor, "a name is now served by a module `__getattr__` shim";
    /// **What changed**: a name (or a class member) now warns with `DeprecationWarning` or
    /// carries `@deprecated` (PEP 702); for a `__getattr__` shim, the shim started to warn.
    ///
    /// **Why callers break (or don't)**: calls keep working; they warn, and test suites that turn
    /// warnings into errors notice. Say so in the changelog.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def fetch(url): ...
    /// # after
    /// @deprecated("use get()")
    /// def fetch(url): ...
    /// fetch("https://x")  # works, emits DeprecationWarning
    /// ```
    ///
    /// **Bump**: minor.
    NameDeprecated(name_deprecated) = "name-deprecated", Minor, "a name is now deprecated";
    /// **What changed**: a name changed what it is: function and class, variable and function or
    /// class, method and property, attribute and property or method, a submodule binding and
    /// anything else, or an external re-export and a definition of the package's own. Nothing
    /// else is compared for that name.
    ///
    /// **Why callers break (or don't)**: the use differs: a property is read, not called; a
    /// constant is not callable; a function has no `isinstance` or subclassing; an attribute that
    /// became a property may not accept assignment (a setter is not visible in the surface).
    /// Decisions: a variable becoming a function or class is major even when the variable held a
    /// callable alias, because its value cannot be seen statically and `isinstance` and identity
    /// change; a re-exported external name (`from typing import Any as Any`) replaced by the
    /// package's own object, or the reverse, is major because the external shape is unknown. A
    /// property that became a plain attribute is not this kind: reads are unchanged and
    /// assignment only became possible.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Client:
    ///     def closed(self) -> bool: ...
    /// # after
    /// class Client:
    ///     @property
    ///     def closed(self) -> bool: ...
    /// client.closed()  # TypeError: 'bool' object is not callable
    /// ```
    ///
    /// **Bump**: major.
    KindChanged(kind_changed) = "kind-changed", Major, "a name changed kind, so callers use it differently";
    /// **What changed**: a named parameter callers could pass (positional-only,
    /// positional-or-keyword or keyword-only) is gone, and `*args`/`**kwargs` do not take every
    /// call that passed it. The message says when keyword calls still bind to `**kwargs` but
    /// positional ones fail.
    ///
    /// **Why callers break (or don't)**: calls that pass it raise `TypeError`; positional calls
    /// also shift every later argument. Decision: a parameter named `_x` with a default is
    /// private by convention and its removal is not reported; a method's `self`/`cls` is never
    /// compared (bound signatures).
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, timeout=5): ...
    /// # after
    /// def connect(host): ...
    /// connect("db", timeout=1)  # TypeError: unexpected keyword argument 'timeout'
    /// ```
    ///
    /// **Bump**: major.
    ParameterRemoved(parameter_removed) = "parameter-removed", Major, "a parameter callers could pass is gone";
    /// **What changed**: a named parameter is gone, but `*args`/`**kwargs` in the new signature
    /// still take every call that passed it: a keyword-only parameter with `**kwargs` present,
    /// or a trailing positional parameter with both `*args` and `**kwargs` present and no
    /// positional parameter in its slot.
    ///
    /// **Why callers break (or don't)**: every old call still binds, so nothing raises
    /// `TypeError`; whether the function still honours the value is up to its body, so this is
    /// more than a patch. Decision: removing `timeout` while adding `**kwargs` is this kind for a
    /// keyword-only `timeout`, but a `parameter-removed` for a positional-or-keyword one unless
    /// `*args` takes its slot, because `connect("db", 5)` then fails.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, *, timeout=5): ...
    /// # after
    /// def connect(host, **options): ...
    /// connect("db", timeout=1)  # still binds: options == {"timeout": 1}
    /// ```
    ///
    /// **Bump**: minor.
    ParameterAbsorbedByVariadic(parameter_absorbed_by_variadic) = "parameter-absorbed-by-variadic", Minor, "a parameter was removed, but `*args`/`**kwargs` still accept it";
    /// **What changed**: a new parameter without a default (not `*args`/`**kwargs`); for a
    /// dataclass, attrs class or NamedTuple, a new field without a default.
    ///
    /// **Why callers break (or don't)**: existing calls do not pass it and raise `TypeError`. A
    /// private `_x` without a default counts too: callers must pass it.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// @dataclass
    /// class Point:
    ///     x: int
    /// # after
    /// @dataclass
    /// class Point:
    ///     x: int
    ///     y: int
    /// Point(1)  # TypeError: missing 1 required positional argument: 'y'
    /// ```
    ///
    /// **Bump**: major.
    ParameterAddedRequired(parameter_added_required) = "parameter-added-required", Major, "a new parameter without a default";
    /// **What changed**: a new parameter with a default, after every existing positional
    /// parameter (and with no `*args` before the change), or keyword-only.
    ///
    /// **Why callers break (or don't)**: every existing call still binds the same way. A new
    /// `_x=None` is private and not reported.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, port=80): ...
    /// # after
    /// def connect(host, port=80, *, retries=3): ...
    /// connect("db", 8080)  # still works
    /// ```
    ///
    /// **Bump**: minor.
    ParameterAddedOptional(parameter_added_optional) = "parameter-added-optional", Minor, "a new parameter with a default";
    /// **What changed**: a positional slot now sits where arguments used to go elsewhere: a new
    /// optional parameter inserted before an existing positional one, a new positional parameter
    /// where `*args` used to collect extra arguments, or a keyword-only parameter that became
    /// positional before existing positional ones.
    ///
    /// **Why callers break (or don't)**: positional calls now bind their arguments to the wrong
    /// parameters, silently or with a `TypeError`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, port=80): ...
    /// # after
    /// def connect(host, scheme="http", port=80): ...
    /// connect("db", 8080)  # scheme=8080 now
    /// ```
    ///
    /// **Bump**: major.
    ParameterInserted(parameter_inserted) = "parameter-inserted", Major, "a new positional parameter shifts existing positional calls";
    /// **What changed**: a positional-or-keyword or keyword-only parameter has a new name. A
    /// rename is recognised when a parameter left and another came in the same positional slot
    /// with the same kind, or when as many keyword-only parameters left as came.
    ///
    /// **Why callers break (or don't)**: calls passing it by keyword raise `TypeError` (or,
    /// with `**kwargs`, silently lose the value).
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, timeout=5): ...
    /// # after
    /// def connect(host, timeout_s=5): ...
    /// connect("db", timeout=1)  # TypeError: unexpected keyword argument 'timeout'
    /// ```
    ///
    /// **Bump**: major.
    ParameterRenamed(parameter_renamed) = "parameter-renamed", Major, "a parameter callers pass by keyword was renamed";
    /// **What changed**: a positional-only parameter (before `/`) has a new name.
    ///
    /// **Why callers break (or don't)**: nobody can pass it by name, so no call changes.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def scale(x, /, factor=2): ...
    /// # after
    /// def scale(value, /, factor=2): ...
    /// scale(3)  # unchanged
    /// ```
    ///
    /// **Bump**: patch.
    PositionalOnlyRenamed(positional_only_renamed) = "positional-only-renamed", Patch, "a positional-only parameter was renamed";
    /// **What changed**: parameters that stayed positional changed their relative order
    /// (positional-only ones included: their names are how the author tells them apart).
    /// Keyword-only order is invisible to callers and never reported.
    ///
    /// **Why callers break (or don't)**: positional calls pass their arguments to the wrong
    /// parameters. For a dataclass or NamedTuple, reordered fields also reorder positional
    /// construction and tuple unpacking.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def copy(src, dst): ...
    /// # after
    /// def copy(dst, src): ...
    /// copy("a.txt", "b.txt")  # now copies the other way
    /// ```
    ///
    /// **Bump**: major.
    ParametersReordered(parameters_reordered) = "parameters-reordered", Major, "positional parameters changed order";
    /// **What changed**: a positional-or-keyword (or positional-only) parameter became
    /// keyword-only (it moved after `*` or `*args`).
    ///
    /// **Why callers break (or don't)**: calls passing it by position raise `TypeError`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, timeout=5): ...
    /// # after
    /// def connect(host, *, timeout=5): ...
    /// connect("db", 1)  # TypeError: takes 1 positional argument but 2 were given
    /// ```
    ///
    /// **Bump**: major.
    ParameterBecameKeywordOnly(parameter_became_keyword_only) = "parameter-became-keyword-only", Major, "a parameter can no longer be passed by position";
    /// **What changed**: a keyword-only parameter became positional-or-keyword, at the end of
    /// the positional parameters (with no `*args` taking extra arguments before).
    ///
    /// **Why callers break (or don't)**: every old call passed it by keyword, which still works.
    /// Decision: a keyword-only parameter that becomes positional anywhere else takes a slot old
    /// positional calls used, and is reported as `parameter-inserted` (major) instead.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, *, timeout=5): ...
    /// # after
    /// def connect(host, timeout=5): ...
    /// connect("db", timeout=1)  # still works
    /// ```
    ///
    /// **Bump**: minor.
    ParameterBecamePositional(parameter_became_positional) = "parameter-became-positional", Minor, "a keyword-only parameter can now also be passed by position";
    /// **What changed**: a positional-or-keyword or keyword-only parameter became
    /// positional-only (it moved before `/`).
    ///
    /// **Why callers break (or don't)**: calls passing it by keyword raise `TypeError` (or,
    /// with `**kwargs`, silently lose the value).
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def scale(x, factor=2): ...
    /// # after
    /// def scale(x, /, factor=2): ...
    /// scale(x=3)  # TypeError: got some positional-only arguments passed as keyword
    /// ```
    ///
    /// **Bump**: major.
    ParameterBecamePositionalOnly(parameter_became_positional_only) = "parameter-became-positional-only", Major, "a parameter can no longer be passed by keyword";
    /// **What changed**: a positional-only parameter became positional-or-keyword (its `/` moved
    /// left or went away).
    ///
    /// **Why callers break (or don't)**: positional calls bind as before and keyword calls become
    /// possible. Decision: the spec is silent; this is an addition, so minor. (A caller who
    /// passed the same name into `**kwargs` next to it now gets a `TypeError`, a corner too rare
    /// to make the common case major.)
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def scale(x, /, factor=2): ...
    /// # after
    /// def scale(x, factor=2): ...
    /// scale(3)  # unchanged; scale(x=3) now also works
    /// ```
    ///
    /// **Bump**: minor.
    ParameterNoLongerPositionalOnly(parameter_no_longer_positional_only) = "parameter-no-longer-positional-only", Minor, "a positional-only parameter can now also be passed by keyword";
    /// **What changed**: a parameter (or dataclass field) lost its default and is now required.
    ///
    /// **Why callers break (or don't)**: calls that relied on the default raise `TypeError`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, timeout=5): ...
    /// # after
    /// def connect(host, timeout): ...
    /// connect("db")  # TypeError: missing 1 required positional argument: 'timeout'
    /// ```
    ///
    /// **Bump**: major.
    DefaultRemoved(default_removed) = "default-removed", Major, "a parameter lost its default and is now required";
    /// **What changed**: a required parameter (or dataclass field) gained a default.
    ///
    /// **Why callers break (or don't)**: every call that passed it still does; new calls may
    /// leave it out.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, port): ...
    /// # after
    /// def connect(host, port=80): ...
    /// connect("db", 8080)  # still works; connect("db") now works too
    /// ```
    ///
    /// **Bump**: minor.
    DefaultAdded(default_added) = "default-added", Minor, "a required parameter is now optional";
    /// **What changed**: a parameter's default value changed (its source text, after
    /// reformatting is set aside).
    ///
    /// **Why callers break (or don't)**: every call still binds, but calls that relied on the
    /// default now behave differently: note it in the changelog as a behaviour change.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def connect(host, timeout=5): ...
    /// # after
    /// def connect(host, timeout=30): ...
    /// connect("db")  # now waits up to 30 s
    /// ```
    ///
    /// **Bump**: patch.
    DefaultChanged(default_changed) = "default-changed", Patch, "a default value changed (a behaviour change)";
    /// **What changed**: `*args` or `**kwargs` is gone.
    ///
    /// **Why callers break (or don't)**: calls passing extra positional or keyword arguments
    /// raise `TypeError`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def log(msg, *args): ...
    /// # after
    /// def log(msg): ...
    /// log("%s failed", name)  # TypeError: takes 1 positional argument but 2 were given
    /// ```
    ///
    /// **Bump**: major.
    VariadicRemoved(variadic_removed) = "variadic-removed", Major, "`*args` or `**kwargs` is gone";
    /// **What changed**: `*args` or `**kwargs` was added (renaming one is not a change: it
    /// cannot be passed by name).
    ///
    /// **Why callers break (or don't)**: every old call still binds; more calls are accepted.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def log(msg): ...
    /// # after
    /// def log(msg, *args): ...
    /// log("done")  # still works
    /// ```
    ///
    /// **Bump**: minor.
    VariadicAdded(variadic_added) = "variadic-added", Minor, "`*args` or `**kwargs` was added";
    /// **What changed**: `def` became `async def`, or the reverse.
    ///
    /// **Why callers break (or don't)**: callers must now `await` the result (or get a
    /// coroutine instead of a value), or must stop awaiting it.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def fetch(url): ...
    /// # after
    /// async def fetch(url): ...
    /// data = fetch(url)  # a coroutine now, not the data
    /// ```
    ///
    /// **Bump**: major.
    AsyncChanged(async_changed) = "async-changed", Major, "a function became async, or stopped being async";
    /// **What changed**: a function became a generator (its body now has a `yield`), or stopped
    /// being one; or a generator gained or lost `@contextmanager` (`@asynccontextmanager`), which
    /// makes a call return a context manager instead.
    ///
    /// **Why callers break (or don't)**: a generator function returns an iterator and runs
    /// nothing until iterated; callers using the return value, or iterating it, break.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def rows(path): return list(read(path))
    /// # after
    /// def rows(path): yield from read(path)
    /// rows(p)[0]  # TypeError: 'generator' object is not subscriptable
    /// ```
    ///
    /// **Bump**: major.
    GeneratorChanged(generator_changed) = "generator-changed", Major, "a function became a generator, or stopped being one";
    /// **What changed**: a public method, attribute, property or nested class of a public class
    /// is gone (inherited members from package-internal bases count as the class's own).
    ///
    /// **Why callers break (or don't)**: `obj.member` raises `AttributeError`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Client:
    ///     def close(self): ...
    /// # after
    /// class Client: ...
    /// client.close()  # AttributeError
    /// ```
    ///
    /// **Bump**: major.
    MemberRemoved(member_removed) = "member-removed", Major, "a public member of a class is gone";
    /// **What changed**: a class has a new public method, attribute, property or nested class.
    ///
    /// **Why callers break (or don't)**: nothing existing changes. (A new member of a
    /// `Protocol` is a `protocol-member-added`, a new abstract method an
    /// `abstract-method-added`.)
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Client: ...
    /// # after
    /// class Client:
    ///     def ping(self): ...
    /// client.ping()  # new, works
    /// ```
    ///
    /// **Bump**: minor.
    MemberAdded(member_added) = "member-added", Minor, "a new public member of a class";
    /// **What changed**: an instance method became a `@staticmethod` or `@classmethod`. Its
    /// bound signature (without `self`/`cls`) is compared as usual; other changes to it are
    /// reported on their own.
    ///
    /// **Why callers break (or don't)**: `obj.m(x)` still works, and `Cls.m(x)` now works too.
    /// (Only the rare unbound call `Cls.m(obj, x)` breaks.)
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Parser:
    ///     def parse(self, text): ...
    /// # after
    /// class Parser:
    ///     @staticmethod
    ///     def parse(text): ...
    /// parser.parse("x")  # still works
    /// ```
    ///
    /// **Bump**: minor.
    MethodBecameStatic(method_became_static) = "method-became-static", Minor, "an instance method became a static or class method";
    /// **What changed**: a `@staticmethod` or `@classmethod` became an instance method.
    /// (Switching between staticmethod and classmethod is not a change: both are called the
    /// same way.)
    ///
    /// **Why callers break (or don't)**: `Cls.m(x)` now passes `x` as `self` and fails.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Parser:
    ///     @classmethod
    ///     def parse(cls, text): ...
    /// # after
    /// class Parser:
    ///     def parse(self, text): ...
    /// Parser.parse("x")  # TypeError: missing 1 required positional argument: 'text'
    /// ```
    ///
    /// **Bump**: major.
    MethodBecameInstance(method_became_instance) = "method-became-instance", Major, "a static or class method became an instance method";
    /// **What changed**: a public class has a new `@abstractmethod`, or an existing method
    /// became abstract.
    ///
    /// **Why callers break (or don't)**: users' subclasses that do not implement it can no
    /// longer be instantiated (`TypeError: Can't instantiate abstract class`). Reported
    /// whatever the class's metaclass: the author has declared that subclasses must implement it.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Plugin(ABC):
    ///     def run(self): ...
    /// # after
    /// class Plugin(ABC):
    ///     @abstractmethod
    ///     def run(self): ...
    /// MyPlugin()  # TypeError if MyPlugin does not define run
    /// ```
    ///
    /// **Bump**: major.
    AbstractMethodAdded(abstract_method_added) = "abstract-method-added", Major, "subclasses must now implement a new abstract method";
    /// **What changed**: a `typing.Protocol` has a new member.
    ///
    /// **Why callers break (or don't)**: classes that implemented the protocol structurally no
    /// longer conform: type checks fail, and `isinstance` fails for `@runtime_checkable` ones.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Reader(Protocol):
    ///     def read(self) -> bytes: ...
    /// # after
    /// class Reader(Protocol):
    ///     def read(self) -> bytes: ...
    ///     def close(self) -> None: ...
    /// consume(MyReader())  # MyReader has no close(): no longer a Reader
    /// ```
    ///
    /// **Bump**: major.
    ProtocolMemberAdded(protocol_member_added) = "protocol-member-added", Major, "implementers of a Protocol must provide a new member";
    /// **What changed**: a dataclass or attrs class became frozen.
    ///
    /// **Why callers break (or don't)**: assigning to an instance's attributes raises
    /// `FrozenInstanceError`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// @dataclass
    /// class Point:
    ///     x: int
    /// # after
    /// @dataclass(frozen=True)
    /// class Point:
    ///     x: int
    /// p.x = 2  # dataclasses.FrozenInstanceError
    /// ```
    ///
    /// **Bump**: major.
    ClassFrozen(class_frozen) = "class-frozen", Major, "instances can no longer be assigned to";
    /// **What changed**: a frozen dataclass or attrs class is no longer frozen.
    ///
    /// **Why callers break (or don't)**: assignment becomes possible, but a dataclass (or attrs
    /// class) with `eq=True`, not frozen and without `unsafe_hash=True` sets `__hash__` to
    /// `None`: instances can no longer be set members or dict keys. Decision: the spec is silent;
    /// the surface does not show `unsafe_hash`, and the default loses hashing, so major.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// @dataclass(frozen=True)
    /// class Point:
    ///     x: int
    /// # after
    /// @dataclass
    /// class Point:
    ///     x: int
    /// {Point(1)}  # TypeError: unhashable type: 'Point'
    /// ```
    ///
    /// **Bump**: major.
    ClassUnfrozen(class_unfrozen) = "class-unfrozen", Major, "instances are no longer frozen, and no longer hashable";
    /// **What changed**: a class gained `__slots__` (or `@dataclass(slots=True)`).
    ///
    /// **Why callers break (or don't)**: assigning an attribute not in the slots raises
    /// `AttributeError`, and instances have no `__dict__`. (Dropping `__slots__` is not reported.)
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Point:
    ///     def __init__(self, x): self.x = x
    /// # after
    /// class Point:
    ///     __slots__ = ("x",)
    ///     def __init__(self, x): self.x = x
    /// p.label = "origin"  # AttributeError
    /// ```
    ///
    /// **Bump**: major.
    SlotsAdded(slots_added) = "slots-added", Major, "instances no longer accept new attributes";
    /// **What changed**: a public base class was removed from a public class, or swapped for
    /// another (the message names the replacement). Bases are compared as written, with
    /// package-internal ones resolved; `typing.X` and `X` are the same base. Decision: a base
    /// replaced by a subclass of it (`Exception` by `ValueError`, `Enum` by `IntEnum`, a package
    /// base by a package class deriving from it) is still a base: that is a `base-added`.
    ///
    /// **Why callers break (or don't)**: `isinstance(obj, Base)` and `except Base` stop
    /// matching, and the members the base gave are gone (reported on their own).
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class TimeoutError(ClientError): ...
    /// # after
    /// class TimeoutError(Exception): ...
    /// except ClientError:  # no longer catches TimeoutError
    /// ```
    ///
    /// **Bump**: major.
    BaseRemoved(base_removed) = "base-removed", Major, "a base class is gone: `isinstance` and inherited members change";
    /// **What changed**: a class has a new public base (or a base replaced by a subclass of it).
    /// `object` and `Generic[...]` are not bases here.
    ///
    /// **Why callers break (or don't)**: every old `isinstance` check still holds and the class
    /// offers more.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class NotFound(Exception): ...
    /// # after
    /// class NotFound(LookupError): ...
    /// except Exception:  # still catches NotFound; except LookupError now does too
    /// ```
    ///
    /// **Bump**: minor.
    BaseAdded(base_added) = "base-added", Minor, "a class has a new base class";
    /// **What changed**: a private base (a dotted part starts with `_`, and the package does not
    /// export it) was removed or swapped. The public members the class offers are compared on
    /// their own: if they changed, those changes are reported too.
    ///
    /// **Why callers break (or don't)**: callers cannot name a private base, so only the members
    /// matter.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Client(_BaseClient): ...
    /// # after
    /// class Client(_HttpClient): ...  # same public methods
    /// client.get("/")  # unchanged
    /// ```
    ///
    /// **Bump**: patch.
    PrivateBaseChanged(private_base_changed) = "private-base-changed", Patch, "a private base class changed; public members are the same";
    /// **What changed**: an Enum member is gone.
    ///
    /// **Why callers break (or don't)**: `Color.GREEN` raises `AttributeError`, and
    /// `Color("green")` raises `ValueError`.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Color(Enum):
    ///     RED = 1
    ///     GREEN = 2
    /// # after
    /// class Color(Enum):
    ///     RED = 1
    /// Color.GREEN  # AttributeError
    /// ```
    ///
    /// **Bump**: major.
    EnumMemberRemoved(enum_member_removed) = "enum-member-removed", Major, "an Enum member is gone";
    /// **What changed**: an Enum has a new member.
    ///
    /// **Why callers break (or don't)**: nothing existing changes (exhaustive `match`
    /// statements may want the new case).
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// class Color(Enum):
    ///     RED = 1
    /// # after
    /// class Color(Enum):
    ///     RED = 1
    ///     BLUE = 3
    /// Color.BLUE  # new, works
    /// ```
    ///
    /// **Bump**: minor.
    EnumMemberAdded(enum_member_added) = "enum-member-added", Minor, "an Enum has a new member";
    /// **What changed**: a module-level constant's, class attribute's or Enum member's value
    /// changed; an external re-export now points elsewhere. For `auto()` members the computed
    /// value is compared, so a member inserted before others changes their values.
    ///
    /// **Why callers break (or don't)**: code still runs; code that stored or compared the old
    /// value behaves differently. Reported as information; `rules` may raise it.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// DEFAULT_TIMEOUT = 5
    /// # after
    /// DEFAULT_TIMEOUT = 30
    /// connect(timeout=DEFAULT_TIMEOUT)  # waits longer
    /// ```
    ///
    /// **Bump**: patch.
    ValueChanged(value_changed) = "value-changed", Patch, "a constant's value changed";
    /// **What changed**: only type information changed: parameter and return annotations (one
    /// change per function), attribute annotations, a property's type, TypedDict keys added,
    /// removed or retyped, type parameters and base type arguments, or every `@overload`
    /// variant dropped (the implementation, which accepts them all, remains).
    ///
    /// **Why callers break (or don't)**: runtime calls are unaffected (a TypedDict is a plain
    /// dict at runtime); type-checked callers may see new errors. `[tool.bumpwise] rules` may
    /// raise this for teams that type-check callers.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// def parse(text: str) -> dict: ...
    /// # after
    /// def parse(text: str | bytes) -> dict[str, Any]: ...
    /// parse("x")  # unchanged at runtime
    /// ```
    ///
    /// **Bump**: patch.
    AnnotationChanged(annotation_changed) = "annotation-changed", Patch, "a type annotation changed; runtime calls are unaffected";
    /// **What changed**: an `@typing.overload` variant is gone (variants are compared as sets of
    /// bound signatures, reformatting aside) while others remain.
    ///
    /// **Why callers break (or don't)**: calls matching only that variant no longer type-check.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// @overload
    /// def load(src: str) -> Doc: ...
    /// @overload
    /// def load(src: bytes) -> Doc: ...
    /// # after: the bytes variant is gone
    /// load(b"...")  # type checkers reject it
    /// ```
    ///
    /// **Bump**: major.
    OverloadRemoved(overload_removed) = "overload-removed", Major, "an `@overload` variant is gone";
    /// **What changed**: a new `@typing.overload` variant.
    ///
    /// **Why callers break (or don't)**: more calls type-check; none stop.
    ///
    /// **Example**:
    /// ```python
    /// # before
    /// @overload
    /// def load(src: str) -> Doc: ...
    /// # after: a bytes variant was added
    /// load(b"...")  # now type-checks
    /// ```
    ///
    /// **Bump**: minor.
    OverloadAdded(overload_added) = "overload-added", Minor, "a new `@overload` variant";
    /// **What changed**: `requires-python` in the `[project]` table was raised: some Python
    /// version that the last release accepted (every 2.x and 3.0 to 3.20 at patch levels 0 to
    /// 20 is checked, pre-releases aside) no longer satisfies it. A specifier this reader does
    /// not understand (`===`, pre-release versions) is not compared. The path is
    /// `requires-python`; the message names the old and new value and the versions dropped.
    ///
    /// **Why callers break (or don't)**: no code changes for users on a newer Python. On a
    /// dropped one, installers pick the last release that still accepts it: users there stop
    /// getting updates without an error, which is why the changelog must say so.
    ///
    /// **Example**:
    /// ```toml
    /// # before
    /// requires-python = ">=3.8"
    /// # after
    /// requires-python = ">=3.9"
    /// # pip install mypkg on Python 3.8 now installs the previous release
    /// ```
    ///
    /// **Bump**: minor. Set `rules = { requires-python-raised = "major" }` to treat dropping an
    /// interpreter as breaking.
    RequiresPythonRaised(requires_python_raised) = "requires-python-raised", Minor, "`requires-python` no longer accepts a Python version the last release accepted";
    /// **What changed**: a requirement of `[project] dependencies` is gone: removed, or moved
    /// into an extra of `optional-dependencies` (names are compared after PEP 503
    /// normalization, so `Foo_Bar` and `foo-bar` are one). The path is the dependency's name.
    ///
    /// **Why callers break (or don't)**: the package's own API is unchanged, but code that
    /// imported the dependency without declaring it (relying on this package to pull it in)
    /// fails with `ModuleNotFoundError` on a fresh install; for an extra, users must now ask
    /// for it (`pip install mypkg[cli]`).
    ///
    /// **Example**:
    /// ```toml
    /// # before
    /// dependencies = ["rich", "click"]
    /// # after
    /// dependencies = ["click"]
    /// optional-dependencies = { cli = ["rich"] }
    /// # `import rich` in a user's script, which never declared rich, now fails
    /// ```
    ///
    /// **Bump**: patch. It is reported so that the changelog says so; set
    /// `rules = { dependency-removed = "minor" }` (or `"major"`) to demand more.
    DependencyRemoved(dependency_removed) = "dependency-removed", Patch, "a required dependency was removed or moved into an extra";
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;
    use std::fs;
    use std::path::{Path, PathBuf};

    use super::ChangeKind;

    fn changes_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/changes")
    }

    /// The files that may carry `# expect:` markers: Python sources and pyproject.toml.
    fn marked_files(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let Ok(entries) = fs::read_dir(dir) else {
            return out;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(marked_files(&path));
            } else if path.extension().is_some_and(|e| e == "py" || e == "pyi")
                || path.file_name().is_some_and(|n| n == "pyproject.toml")
            {
                out.push(path);
            }
        }
        out
    }

    /// The kinds a fixture's `expected.txt` lists.
    fn expected(id: &str) -> Vec<String> {
        let file = changes_dir().join(id).join("expected.txt");
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// A kind's fixture is complete: both trees with a pyproject.toml and the package, an
    /// `expected.txt` that lists the kind, and an `# expect: <id>` marker in the Python (or, for
    /// packaging metadata, in pyproject.toml).
    pub(crate) fn check_fixture(kind: ChangeKind) {
        let dir = changes_dir().join(kind.id());
        for side in ["before", "after"] {
            let pyproject = dir.join(side).join("pyproject.toml");
            let text = fs::read_to_string(&pyproject)
                .unwrap_or_else(|e| panic!("{}: {e}", pyproject.display()));
            assert!(
                text.contains("name = \"fixture\""),
                "{}",
                pyproject.display()
            );
            assert!(
                text.contains("version = \"1.0.0\""),
                "{}",
                pyproject.display()
            );
            let init = dir.join(side).join("src/fixture/__init__.py");
            assert!(init.is_file(), "{} is missing", init.display());
        }
        let kinds = expected(kind.id());
        assert!(
            kinds.iter().any(|k| k == kind.id()),
            "{}/expected.txt does not list `{}`",
            kind.id(),
            kind.id()
        );
        let marker = format!("# expect: {}", kind.id());
        let marked = marked_files(&dir)
            .iter()
            .any(|f| fs::read_to_string(f).is_ok_and(|t| t.contains(&marker)));
        assert!(marked, "no `{marker}` comment in {}", dir.display());
        // Then the pair itself, through extraction and every detector.
        crate::diff::fixtures::check(kind);
    }

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = BTreeSet::new();
        for kind in ChangeKind::ALL {
            let id = kind.id();
            assert!(seen.insert(id), "duplicate id `{id}`");
            assert!(
                !id.is_empty()
                    && !id.starts_with('-')
                    && !id.ends_with('-')
                    && !id.contains("--")
                    && id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "`{id}` is not kebab-case"
            );
            assert_eq!(ChangeKind::from_id(id), Some(*kind));
        }
    }

    #[test]
    fn every_row_has_the_four_sections() {
        for kind in ChangeKind::ALL {
            let docs = kind.docs();
            for section in [
                "**What changed**",
                "**Why callers break (or don't)**",
                "**Example**",
                "**Bump**",
            ] {
                assert!(docs.contains(section), "`{kind}` lacks {section}");
            }
            assert!(
                docs.contains("# before"),
                "`{kind}` example lacks `# before`"
            );
            assert!(docs.contains("# after"), "`{kind}` example lacks `# after`");
            let bump = format!("**Bump**: {}.", kind.bump().as_str());
            assert!(docs.contains(&bump), "`{kind}` docs do not say `{bump}`");
            assert!(!kind.summary().is_empty());
        }
    }

    #[test]
    fn catalog_rows_equal_fixture_directories() {
        let dirs: BTreeSet<String> = fs::read_dir(changes_dir())
            .expect("testdata/changes exists")
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let ids: BTreeSet<String> = ChangeKind::ALL.iter().map(|k| k.id().to_owned()).collect();
        let missing: Vec<_> = ids.difference(&dirs).collect();
        let extra: Vec<_> = dirs.difference(&ids).collect();
        assert!(missing.is_empty(), "rows without a fixture: {missing:?}");
        assert!(extra.is_empty(), "fixtures without a row: {extra:?}");
    }

    #[test]
    fn every_expected_kind_exists_and_is_sorted() {
        for kind in ChangeKind::ALL {
            let kinds = expected(kind.id());
            for k in &kinds {
                assert!(
                    ChangeKind::from_id(k).is_some(),
                    "{}/expected.txt names unknown kind `{k}`",
                    kind.id()
                );
            }
            let mut sorted = kinds.clone();
            sorted.sort();
            assert_eq!(kinds, sorted, "{}/expected.txt is not sorted", kind.id());
        }
    }

    #[test]
    fn every_expect_marker_is_in_expected_txt() {
        for kind in ChangeKind::ALL {
            let dir = changes_dir().join(kind.id());
            let kinds = expected(kind.id());
            for file in marked_files(&dir) {
                let text = fs::read_to_string(&file).unwrap_or_default();
                for line in text.lines() {
                    if let Some(rest) = line.split("# expect:").nth(1) {
                        let k = rest.split_whitespace().next().unwrap_or("");
                        assert!(
                            kinds.iter().any(|e| e == k),
                            "{}: `# expect: {k}` is not in expected.txt",
                            file.display()
                        );
                    }
                }
            }
        }
    }
}
