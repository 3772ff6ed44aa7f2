/* The knowledge base of `ayuda init --demo`: the support policy's common
 * questions (registration, licences, attachments, service levels, access
 * data through the vault), in Spanish, some in English too (kb.h). */
#include <string.h>

#include "domain/kb.h"

static const char *const categories[][3] = {
	{"primeros-pasos", "Primeros pasos", "Getting started"},
	{"licencias-y-sla", "Licencias y niveles de servicio",
	 "Licences and service levels"},
	{"tickets", "Tickets y adjuntos", "Tickets and attachments"},
	{"seguridad", "Seguridad y accesos", "Security and access"},
	{"bitrix24", "Uso de Bitrix24", "Using Bitrix24"},
};

struct demo_article {
	const char *category, *state, *tags;
	const char *es_title, *es_body, *en_title, *en_body;
};

static const struct demo_article articles[] = {
	{"primeros-pasos", "published", "registro,cuenta",
	 "Cómo registrarse en el portal de soporte",
	 "Para crear, seguir y ver sus tickets necesita una cuenta en el "
	 "portal.\n\n"
	 "1. Abra **Registrarse** (arriba a la derecha).\n"
	 "2. Escriba su nombre, su correo electrónico y una contraseña de al "
	 "menos 10 caracteres.\n"
	 "3. Abra el enlace que le enviamos por correo para confirmar la "
	 "dirección.\n\n"
	 "Si su empresa tiene una licencia comercial, **regístrese con el "
	 "correo con el que se registró la licencia**: así le asignamos el "
	 "nivel de servicio de *Clientes comerciales* sin más trámites.\n\n"
	 "¿No llega el correo? Revise la carpeta de spam y vuelva a pedirlo "
	 "desde la página de entrada.",
	 "How to register on the support portal",
	 "You need an account on the portal to create, follow and read your "
	 "tickets.\n\n"
	 "1. Open **Register** (top right).\n"
	 "2. Enter your name, your email address and a password of at least "
	 "10 characters.\n"
	 "3. Open the link we email you to confirm the address.\n\n"
	 "If your company holds a commercial licence, **register with the "
	 "address the licence was registered with**, so that you get the "
	 "commercial service level straight away."},
	{"primeros-pasos", "published", "contraseña,cuenta",
	 "Olvidé mi contraseña",
	 "¿No recuerda su contraseña (su clave de acceso al portal)? En la "
	 "página **Entrar** elija *¿Olvidó su contraseña?* y escriba "
	 "su correo. Le enviamos un enlace válido durante una hora para "
	 "elegir una contraseña nueva.\n\n"
	 "Por seguridad, al cambiar la contraseña se cierran las demás "
	 "sesiones abiertas. Nunca le pediremos su contraseña por correo ni "
	 "por teléfono.",
	 "I forgot my password",
	 "On the **Log in** page choose *Forgot your password?* and enter "
	 "your address. We send you a link, valid for one hour, to choose a "
	 "new password. Changing it closes your other sessions."},
	{"licencias-y-sla", "published", "sla,tiempos",
	 "Niveles de servicio (SLA): tiempos máximos de respuesta",
	 "Cada solicitud se atiende en **estricto orden de llegada**, con el "
	 "tiempo máximo de respuesta de su nivel de servicio:\n\n"
	 "| Nivel | Respuesta (máx.) | Requisito |\n"
	 "|---|---|---|\n"
	 "| Partners | 24 horas | Membresía activa en el programa de "
	 "partners |\n"
	 "| Clientes comerciales | 24 horas | Licencia Bitrix24 activa |\n"
	 "| Soporte no comercial | 120 horas | Haber solicitado la inclusión "
	 "en el SLA no comercial |\n\n"
	 "Las horas cuentan en horario laborable (lunes a viernes, de 08:00 "
	 "a 18:30, hora de Lima). Escribir por otros canales (teléfono, "
	 "redes sociales) **no acelera** la respuesta.",
	 "Service levels (SLA): maximum response times",
	 "Requests are answered in **strict order of arrival**, within the "
	 "maximum response time of your service level: partners and "
	 "commercial customers 24 business hours, non-commercial support "
	 "120 business hours (Monday to Friday, 08:00-18:30 Lima time)."},
	{"licencias-y-sla", "published", "horario,festivos",
	 "Horario de atención, festivos y pausas",
	 "El equipo atiende de **lunes a viernes, de 08:00 a 18:30 (GMT-5, "
	 "hora de Lima)**. No se atiende en los feriados nacionales del "
	 "Perú.\n\n"
	 "Los tiempos de respuesta solo corren dentro de ese horario: un "
	 "ticket enviado el viernes a las 19:00 empieza a contar el lunes a "
	 "las 08:00. El calendario de festivos y de pausas de emergencia se "
	 "publica en la página de inicio.",
	 NULL, NULL},
	{"licencias-y-sla", "published", "licencia,comercial,correo",
	 "Licencia comercial: escriba desde el correo de la licencia",
	 "El nivel de **Clientes comerciales** solo se asigna a los tickets "
	 "creados con la dirección de correo indicada en el registro de la "
	 "licencia.\n\n"
	 "- Si escribe desde otra dirección, su ticket recibe el nivel no "
	 "comercial hasta que el equipo confirme la licencia.\n"
	 "- Para añadir a un compañero, pida a la persona de contacto de su "
	 "empresa que lo registre como contacto de soporte.\n\n"
	 "En el ticket indique la URL de su Bitrix24 (cloud) o los datos de "
	 "su instalación.",
	 "Commercial licence: write from the address the licence was "
	 "registered with",
	 "The **commercial customers** level is given only to tickets sent "
	 "from the address in the licence's registration. From any other "
	 "address the ticket gets the non-commercial level until the team "
	 "confirms the licence."},
	{"licencias-y-sla", "published", "licencia,renovar,ampliar",
	 "Renovar o ampliar su licencia Bitrix24",
	 "Las consultas sobre la renovación, el cambio de plan o la "
	 "ampliación de usuarios son **comerciales**: envíe un ticket con la "
	 "categoría *Comercial* o escriba a su consultor comercial.\n\n"
	 "Indique la URL de su Bitrix24, el plan actual y cuántos usuarios "
	 "necesita. Tras la renovación, los tickets vuelven a recibir el "
	 "nivel de *Clientes comerciales*.",
	 NULL, NULL},
	{"licencias-y-sla", "published", "no comercial,gratuito,inclusión",
	 "Cómo acceder al soporte no comercial",
	 "Si usa Bitrix24 Cloud en el plan gratuito o una versión de "
	 "demostración, puede recibir soporte no comercial (respuesta en un "
	 "máximo de 120 horas laborables):\n\n"
	 "1. Regístrese en el portal.\n"
	 "2. Envíe un ticket pidiendo su inclusión en el SLA no comercial "
	 "(formulario *SLA no comercial*).\n"
	 "3. Incluya su nombre completo, su cargo, el nombre de la empresa, "
	 "sus datos de contacto y el nombre de su Bitrix24 Cloud o los datos "
	 "de su instalación.\n\n"
	 "El equipo puede pedirle más datos antes de confirmar su nivel.",
	 NULL, NULL},
	{"tickets", "published", "adjuntos,capturas,archivos",
	 "Adjuntar capturas y archivos a un ticket",
	 "Puede adjuntar archivos al crear un ticket o al responder, desde "
	 "el portal o por correo.\n\n"
	 "- Imágenes **PNG, GIF o JPG** tal cual.\n"
	 "- Las imágenes **BMP** deben ir comprimidas en **ZIP o RAR**.\n"
	 "- El archivo `info.php` de su servidor ayuda a diagnosticar "
	 "problemas de instalación.\n\n"
	 "Cada archivo puede pesar hasta 20 MB. Comprobamos el tipo por su "
	 "contenido, no por su nombre: un archivo con otra extensión será "
	 "rechazado.",
	 "Attaching screenshots and files to a ticket",
	 "Attach files when you create a ticket or reply, on the portal or "
	 "by email: **PNG, GIF or JPG** images as they are; **BMP** images "
	 "inside a **ZIP or RAR** archive. Each file may be up to 20 MB; "
	 "the type is checked by its content."},
	{"tickets", "published", "ticket,información",
	 "Qué información incluir en un ticket",
	 "Para resolver antes su consulta, incluya:\n\n"
	 "1. Una descripción del problema con términos comunes.\n"
	 "2. Los pasos para reproducir el error, si es posible.\n"
	 "3. La URL donde ocurre.\n"
	 "4. La versión y la edición del software.\n\n"
	 "El portal registra su navegador automáticamente. Si encontró un "
	 "documento o un foro parecido a su problema, añada el enlace.",
	 NULL, NULL},
	{"tickets", "published", "correo,respuesta,asunto",
	 "Responder por correo sin perder el hilo",
	 "Puede seguir su ticket por correo: responda a nuestros mensajes "
	 "**sin cambiar el asunto**, que lleva el número `[Ticket#N]`. Todo "
	 "lo que escriba se añade al mismo ticket.\n\n"
	 "Si los filtros de spam de su empresa bloquean nuestros correos, "
	 "use el portal: ahí está siempre la conversación completa.",
	 NULL, NULL},
	{"tickets", "published", "alcance,fuera de alcance",
	 "Qué temas atiende el soporte y cuáles no",
	 "El soporte es **orientativo**: explica cómo usar las herramientas "
	 "de Bitrix24, diagnostica errores del producto y orienta sobre la "
	 "instalación y las actualizaciones.\n\n"
	 "No incluye:\n\n"
	 "- Instalar software en su servidor ni restaurar copias de "
	 "seguridad.\n"
	 "- Desarrollos a medida, scripts o integraciones con terceros.\n"
	 "- Errores causados por personalizaciones del producto.\n\n"
	 "Si su consulta queda fuera del alcance, le responderemos "
	 "indicándolo y cerraremos el ticket.",
	 NULL, NULL},
	{"tickets", "published", "reabrir,encuesta",
	 "Reabrir un ticket cerrado y evaluar la atención",
	 "Si un ticket se cerró antes de tiempo, **responda en él** (en el "
	 "portal o por correo) durante los 30 días siguientes y se reabrirá. "
	 "Después, cree uno nuevo.\n\n"
	 "Al cerrar un ticket le enviamos una breve encuesta (de 1 a 5): su "
	 "opinión nos ayuda a mejorar.",
	 NULL, NULL},
	{"seguridad", "published", "contraseña,bóveda,acceso,seguridad",
	 "Cómo compartir datos de acceso de forma segura",
	 "A veces el equipo necesita entrar en su Bitrix24 o en su servidor. "
	 "**Nunca envíe contraseñas en el texto de un ticket ni por "
	 "correo.**\n\n"
	 "- En **Bitrix24 Cloud**, invite al equipo como partner (vea "
	 "*Invitar al equipo de soporte como partner*).\n"
	 "- En una **instalación propia**, cree un usuario temporal con "
	 "fecha de caducidad.\n"
	 "- Guarde los datos en la **bóveda** del ticket (*Datos de acceso "
	 "para el equipo de soporte*): se guardan cifrados, solo los leen "
	 "los agentes asignados y los supervisores, cada lectura queda en el "
	 "historial y se destruyen solos al vencer el plazo que elija (de 1 "
	 "a 30 días) o cuando el ticket se resuelve.\n\n"
	 "Cuando el ticket se resuelva, cambie la contraseña o borre el "
	 "usuario temporal.",
	 "How to share access data safely",
	 "**Never put passwords in a ticket's text or in an email.** In "
	 "Bitrix24 Cloud, invite the team as a partner; on your own "
	 "installation, create a temporary user that expires. Store the "
	 "data in the ticket's **vault** (*Access data*): it is encrypted, "
	 "read only by the assigned agents and supervisors, every read is "
	 "logged, and it is destroyed when it expires (1 to 30 days) or "
	 "when the ticket is solved."},
	{"seguridad", "published", "partner,invitación,cloud",
	 "Invitar al equipo de soporte como partner en Bitrix24 Cloud",
	 "En Bitrix24 Cloud no hace falta compartir contraseñas: use la "
	 "herramienta **Invitación a partners** con la dirección "
	 "`soporte@ayuda.localhost`.\n\n"
	 "El acceso se puede retirar en cualquier momento desde la misma "
	 "pantalla. Indique en el ticket que ya envió la invitación.",
	 NULL, NULL},
	{"bitrix24", "published", "exportar,crm,excel,csv",
	 "Exportar contactos del CRM a Excel o CSV",
	 "En **CRM > Contactos** use el menú de la lista (el engranaje) y "
	 "elija **Exportar a Excel** o **Exportar a CSV**.\n\n"
	 "- La exportación incluye las columnas visibles de la lista: "
	 "añada las que necesite antes de exportar.\n"
	 "- Con más de 5.000 contactos la exportación se prepara en segundo "
	 "plano y se descarga al terminar.\n\n"
	 "Si el archivo sale **vacío**, compruebe los filtros de la lista y "
	 "sus permisos de acceso al CRM.",
	 "Exporting CRM contacts to Excel or CSV",
	 "In **CRM > Contacts** open the list menu (the cog) and choose "
	 "**Export to Excel** or **Export to CSV**. The export holds the "
	 "list's visible columns. An empty file usually means a filter or "
	 "missing CRM permissions."},
	{"bitrix24", "internal", "licencia,verificación,interno",
	 "Guía interna: verificar la licencia de un cliente",
	 "Antes de asignar el nivel comercial:\n\n"
	 "1. Compruebe que el remitente coincide con el correo de registro "
	 "de la licencia (ficha de la empresa).\n"
	 "2. Verifique el estado y la fecha de vencimiento.\n"
	 "3. Si no coincide, confirme con la persona de contacto antes de "
	 "cambiar el nivel (*Confirmar titular*).",
	 NULL, NULL},
};

/* The tags "a,b" as a JSON array (a new reference). */
static json_t *tag_list(const char *tags)
{
	json_t *l = json_array();

	while (l && tags && *tags) {
		const char *c = strchr(tags, ',');
		size_t n = c ? (size_t)(c - tags) : strlen(tags);

		json_array_append_new(l, json_stringn(tags, n));
		tags = c ? c + 1 : NULL;
	}
	return l;
}

ay_rc kb_demo_seed(struct db *db, const struct actor *author)
{
	ay_rc rc = AY_OK;

	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(categories); i++) {
		json_t *in = json_pack(
			"{s:s,s:s,s:s}", "slug", categories[i][0], "name_es",
			categories[i][1], "name_en", categories[i][2]);
		json_t *out = NULL;
		struct verr e = {0};

		rc = in ? kb_category_create(db, author, in, &e, &out)
			: AY_ENOMEM;
		json_decref(in);
		json_decref(out);
	}
	for (size_t i = 0; !rc && i < AY_ARRAY_LEN(articles); i++) {
		const struct demo_article *d = &articles[i];
		json_t *in = json_pack("{s:s,s:s,s:o,s:{s:s,s:s}}", "category",
				       d->category, "state", d->state, "tags",
				       tag_list(d->tags), "es", "title",
				       d->es_title, "body", d->es_body);
		struct verr e = {0};
		int64_t id = 0;

		if (in && d->en_title)
			json_object_set_new(in, "en",
					    json_pack("{s:s,s:s}", "title",
						      d->en_title, "body",
						      d->en_body));
		rc = in ? kb_article_save(db, author, 0, in, &e, &id)
			: AY_ENOMEM;
		json_decref(in);
	}
	return rc;
}
